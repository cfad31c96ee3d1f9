// Report assembly: schema and tool version, run id shape, scenario section from a Scenario.

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { buildReport, newRunId, scenarioReport, toolVersion } from '../../src/report/build.js';
import { currentEnvironment } from '../../src/report/environment.js';
import type { Scenario } from '../../src/scenario/types.js';

describe('buildReport', () => {
  it('stamps schema version 1, the package version, the run id and the time', () => {
    const environment = currentEnvironment();
    const report = buildReport({ runId: 'r1', createdAt: new Date(Date.UTC(2026, 10, 5, 12, 3, 1)), environment, scenarios: [] });
    expect(report).toEqual({
      schemaVersion: 1,
      tool: { name: 'isobench', version: JSON.parse(readFileSync('package.json', 'utf8')).version },
      runId: 'r1',
      createdAt: '2026-11-05T12:03:01.000Z',
      partial: false,
      environment,
      scenarios: [],
      notes: [],
    });
    expect(toolVersion()).toBe(report.tool.version);
  });

  it('makes run ids safe for file names and Docker labels', () => {
    expect(newRunId(new Date(Date.UTC(2026, 10, 5, 12, 3, 1)), 'abcdef')).toBe('20261105-120301-abcdef');
    expect(newRunId()).toMatch(/^\d{8}-\d{6}-[0-9a-f]{6}$/);
  });

  it('summarises a scenario: instances per service, host, cache', () => {
    const scenario = {
      name: 's',
      description: 'd',
      file: 'f.yaml',
      cache: 'warm',
      concurrency: 2,
      totalInstances: 3,
      host: { preset: null, cpus: 2, memoryBytes: 1, diskBytes: 1, diskReadBytesPerSec: 1, diskWriteBytesPerSec: 1, networkBytesPerSec: 1, ksm: false, memoryOvercommit: false },
      services: [
        { name: 'a', instances: 1 },
        { name: 'b', instances: 2 },
      ],
    } as unknown as Scenario;
    const section = scenarioReport(scenario, []);
    expect(section.services).toEqual([
      { name: 'a', instances: 1 },
      { name: 'b', instances: 2 },
    ]);
    expect(section).toMatchObject({ name: 's', file: 'f.yaml', totalInstances: 3, concurrency: 2, cache: 'warm', results: [] });
  });
});

describe('currentEnvironment', () => {
  it('records node, os, arch, kernel, cpus and memory, and the engines given', () => {
    const env = currentEnvironment({ docker: { version: '20.10' } });
    expect(env.node).toBe(process.version);
    expect(env.cpus).toBeGreaterThan(0);
    expect(env.memoryBytes).toBeGreaterThan(0);
    expect(env.engines).toEqual({ docker: { version: '20.10' } });
  });
});
