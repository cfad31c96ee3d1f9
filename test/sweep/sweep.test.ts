// Sweeps: parsing --sweep, where a key writes, one point's data, and the points of a real scenario
// evaluated by the model, whose curves must rise or stay flat where the physics says so.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { METRIC_KEYS } from '../../src/report/types.js';
import { evaluateScenario } from '../../src/model/evaluate.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { schemasFor } from '../../src/scenario/load.js';
import { applySweepValue, sweepValue } from '../../src/sweep/apply.js';
import { loadSweptScenarios } from '../../src/sweep/load.js';
import { resolveSweepKey } from '../../src/sweep/path.js';
import { parseSweeps, sweepPointName } from '../../src/sweep/spec.js';
import type { MetricKey } from '../../src/report/types.js';
import { runCli, tempDir } from '../cli/run-cli.js';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';

const catalog = builtinCatalog();
const keys = schemasFor(catalog).keys;

describe('parseSweeps', () => {
  it('reads FIELD=V1,V2,... keeping values as written', () => {
    expect(parseSweeps(['instances=1,10,100,1000', 'vm.memory=512MiB, 1GiB'])).toEqual([
      { key: 'instances', values: ['1', '10', '100', '1000'] },
      { key: 'vm.memory', values: ['512MiB', '1GiB'] },
    ]);
    expect(sweepPointName('small-web-app', 'instances', '100')).toBe('small-web-app@instances=100');
  });
  it('refuses malformed sweeps, every problem at once', () => {
    const error = (() => {
      try {
        parseSweeps(['instances', 'x=1,,2', 'y=1,1', 'services[=1']);
      } catch (e) {
        return e as UsageError;
      }
      throw new Error('accepted');
    })();
    expect(error).toBeInstanceOf(UsageError);
    expect(error.message.split('\n')).toHaveLength(4);
  });
});

describe('resolveSweepKey', () => {
  it('a service field reaches every service; a VM default also reaches the services that override it', () => {
    expect(resolveSweepKey('instances', keys)).toEqual({ ok: true, targets: [{ path: ['services', '*', 'instances'], onlyWhereSet: false }] });
    expect(resolveSweepKey('vm.memory', keys)).toEqual({
      ok: true,
      targets: [
        { path: ['vm', 'memory'], onlyWhereSet: false },
        { path: ['services', '*', 'vm', 'memory'], onlyWhereSet: true },
      ],
    });
    expect(resolveSweepKey('host.cpus', keys)).toEqual({ ok: true, targets: [{ path: ['host', 'cpus'], onlyWhereSet: false }] });
    expect(resolveSweepKey('services[1].app.memory', keys)).toEqual({ ok: true, targets: [{ path: ['services', '1', 'app', 'memory'], onlyWhereSet: false }] });
  });
  it('names what is wrong, with a hint', () => {
    expect(resolveSweepKey('replicas', keys)).toMatchObject({ ok: false, suggestion: 'instances' });
    expect(resolveSweepKey('vm.memroy', keys)).toMatchObject({ ok: false, suggestion: 'vm.memory' });
    expect(resolveSweepKey('vm', keys)).toMatchObject({ ok: false, message: expect.stringMatching(/holds more than one value/) });
  });
});

describe('applySweepValue', () => {
  it('writes a copy, numbers as numbers and sizes as text; a preset host becomes a mapping', () => {
    const raw = {
      name: 'x',
      host: 'laptop',
      vm: { memory: '1GiB' },
      services: [
        { name: 'a', instances: 1, vm: { memory: '2GiB' } },
        { name: 'b', instances: 2 },
      ],
    };
    const cpus = applySweepValue(raw, [{ path: ['host', 'cpus'], onlyWhereSet: false }], '4');
    expect(cpus.host).toEqual({ preset: 'laptop', cpus: 4 });
    const memory = applySweepValue(raw, (resolveSweepKey('vm.memory', keys) as unknown as { targets: never[] }).targets, '512MiB');
    expect(memory.vm).toEqual({ memory: '512MiB' });
    // Service a overrides vm.memory, so the sweep sets it there too; b has no vm of its own.
    expect(memory.services).toEqual([
      { name: 'a', instances: 1, vm: { memory: '512MiB' } },
      { name: 'b', instances: 2 },
    ]);
    expect(raw.vm.memory).toBe('1GiB'); // the input is untouched
    expect([sweepValue('10'), sweepValue('0.5'), sweepValue('true'), sweepValue('250ms')]).toEqual([10, 0.5, true, '250ms']);
  });
});

/** Each platform's values of `key` across the points. */
async function curves(file: string, sweep: string, key: MetricKey) {
  const [spec] = parseSweeps([sweep]);
  const { scenarios } = await loadSweptScenarios([file], catalog, [spec!]);
  const results = scenarios.map((s) => evaluateScenario(s, catalog));
  return Object.fromEntries(['process', 'container', 'vm'].map((p) => [p, results.map((r) => r.find((x) => x.platform === p)!.metrics[key]!)]));
}

const rising = (values: number[]) => values.every((v, i) => i === 0 || v >= values[i - 1]!);
const falling = (values: number[]) => values.every((v, i) => i === 0 || v <= values[i - 1]!);

describe('curves follow the physics', () => {
  const file = 'scenarios/small-web-app.yaml';
  it('more instances never start sooner and never take less memory or disk', async () => {
    for (const key of ['startupAllMs', 'startupP99Ms', 'memoryTotalBytes', 'diskTotalBytes'] as const) {
      for (const values of Object.values(await curves(file, 'instances=1,10,100,1000', key))) expect(rising(values)).toBe(true);
    }
    // Capacity depends on the mix, not on how many are asked for: flat.
    for (const values of Object.values(await curves(file, 'instances=1,10,100,1000', 'maxInstances'))) expect(new Set(values).size).toBe(1);
  });
  it('more guest RAM fits fewer VMs and never fewer containers', async () => {
    const max = await curves(file, 'vm.memory=512MiB,1GiB,2GiB,4GiB', 'maxInstances');
    expect(falling(max['vm']!)).toBe(true);
    expect(max['vm']![0]).toBeGreaterThan(max['vm']![3]!);
    expect(new Set(max['container']).size).toBe(1);
  });
  it('more host CPUs never make a burst slower', async () => {
    const all = await curves('scenarios/burst-100.yaml', 'host.cpus=2,4,8,16', 'startupAllMs');
    for (const values of Object.values(all)) expect(falling(values)).toBe(true);
  });
});

describe('bench --sweep', () => {
  it('instances=1,10,100,1000 on a default scenario: four JSON entries linked by one sweep', async () => {
    const results = await tempDir();
    const { code, stdout } = await runCli(['--scenario', 'scenarios/small-web-app.yaml', '--sweep', 'instances=1,10,100,1000', '--results', results]);
    expect(code).toBe(0);
    const report = JSON.parse(await readFile(join(results, 'report.json'), 'utf8'));
    const names = ['1', '10', '100', '1000'].map((v) => `small-web-app@instances=${v}`);
    expect(report.scenarios.map((s: { name: string }) => s.name)).toEqual(names);
    expect(report.scenarios.map((s: { totalInstances: number }) => s.totalInstances)).toEqual([1, 10, 100, 1000]);
    expect(report.sweeps).toEqual([{ scenario: 'small-web-app', key: 'instances', values: ['1', '10', '100', '1000'], points: names }]);
    // The terminal: one table per metric, a row per point.
    expect(stdout).toContain('== small-web-app, swept over instances: 1, 10, 100, 1000');
    expect(stdout.match(/^instances=1000 /gm)).toHaveLength(METRIC_KEYS.length);
    // The HTML: a line chart per metric.
    const html = await readFile(join(results, 'report.html'), 'utf8');
    expect(html.match(/<svg class="chart sweep"/g)).toHaveLength(METRIC_KEYS.length);
  });
  it('refuses a value the field does not take, naming the file and the point', async () => {
    const { code, stderr } = await runCli(['--scenario', 'scenarios/small-web-app.yaml', '--sweep', 'vm.memory=1G,2GiB', '--results', await tempDir()]);
    expect(code).toBe(2);
    expect(stderr).toContain('scenarios/small-web-app.yaml');
    expect(stderr).toContain('with --sweep vm.memory=1G:');
    expect(stderr).toContain('(did you mean "1GiB"?)');
  });
});
