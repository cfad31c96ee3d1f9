// Assembles the one versioned report from scenarios and their results; the clock and the id are inputs.

import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import type { Scenario } from '../scenario/types.js';
import { SCHEMA_VERSION, type Environment, type PlatformResult, type Report, type ScenarioReport, type SweepReport } from './types.js';

/** The version in package.json (src/report and dist/report are both two levels below it). */
export function toolVersion(): string {
  const text = readFileSync(new URL('../../package.json', import.meta.url), 'utf8');
  const version = (JSON.parse(text) as { version?: unknown }).version;
  return typeof version === 'string' ? version : '0.0.0';
}

/** A run id safe in file names and Docker labels: "20261105-120301-a1b2c3". */
export function newRunId(now: Date = new Date(), random: string = randomBytes(3).toString('hex')): string {
  const iso = now.toISOString(); // 2026-11-05T12:03:01.123Z
  return `${iso.slice(0, 10).replaceAll('-', '')}-${iso.slice(11, 19).replaceAll(':', '')}-${random}`;
}

/** One scenario's section of the report: its inputs in brief, then its results in the order given. */
export function scenarioReport(scenario: Scenario, results: PlatformResult[]): ScenarioReport {
  return {
    name: scenario.name,
    file: scenario.file,
    description: scenario.description,
    totalInstances: scenario.totalInstances,
    concurrency: scenario.concurrency,
    cache: scenario.cache,
    host: scenario.host,
    ...(scenario.cluster === undefined ? {} : { cluster: scenario.cluster }),
    services: scenario.services.map((service) => ({ name: service.name, instances: service.instances })),
    results,
  };
}

export interface BuildReportInput {
  runId: string;
  createdAt: Date;
  environment: Environment;
  scenarios: ScenarioReport[];
  sweeps?: SweepReport[];
  partial?: boolean;
  notes?: string[];
  version?: string;
}

/** The whole report: schema version, tool version, run id, environment, scenarios, notes. */
export function buildReport(input: BuildReportInput): Report {
  return {
    schemaVersion: SCHEMA_VERSION,
    tool: { name: 'isobench', version: input.version ?? toolVersion() },
    runId: input.runId,
    createdAt: input.createdAt.toISOString(),
    partial: input.partial ?? false,
    environment: input.environment,
    scenarios: input.scenarios,
    ...(input.sweeps === undefined || input.sweeps.length === 0 ? {} : { sweeps: input.sweeps }),
    notes: input.notes ?? [],
  };
}
