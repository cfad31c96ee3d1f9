// Option parsing and validation for `bench`, without starting a process.

import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/errors.js';
import { HARD_MAX_INSTANCES, parseBenchOptions } from '../../src/cli/bench-options.js';

describe('parseBenchOptions', () => {
  it('applies the documented defaults', () => {
    expect(parseBenchOptions({})).toEqual({
      scenarioFiles: [],
      json: false,
      explain: false,
      explainOnly: undefined,
      resultsDir: undefined,
      sweeps: [],
      profileFile: undefined,
      real: [],
      realScale: 1,
      realMaxInstances: 20,
      repetitions: 5,
      warmup: 1,
      instanceTimeoutMs: 60_000,
      onInstanceFailure: 'continue',
      appStartup: 'add',
      compareBase: undefined,
      reportFormats: ['md', 'html'],
      failOn: 'regression',
      allowEnvChange: false,
      configFile: undefined,
    });
  });

  it('offers the mock backend only to tests (ISOBENCH_MOCK_BACKEND=1)', () => {
    const before = process.env['ISOBENCH_MOCK_BACKEND'];
    try {
      delete process.env['ISOBENCH_MOCK_BACKEND'];
      expect(() => parseBenchOptions({ real: ['mock'] })).toThrow(/--real: unknown backend "mock".*choose from docker, swarm, podman, containerd, host, qemu$/);
      process.env['ISOBENCH_MOCK_BACKEND'] = '1';
      expect(parseBenchOptions({ real: ['mock'] }).real).toEqual(['mock']);
    } finally {
      if (before === undefined) delete process.env['ISOBENCH_MOCK_BACKEND'];
      else process.env['ISOBENCH_MOCK_BACKEND'] = before;
    }
  });

  it('merges repeated and comma-separated --real, keeping the first order and dropping duplicates', () => {
    expect(parseBenchOptions({ real: ['docker', 'qemu, host', 'docker'] }).real).toEqual(['docker', 'qemu', 'host']);
  });

  it('parses numbers and durations: 0.1 scale, 2min = 120000 ms', () => {
    const options = parseBenchOptions({ realScale: '0.1', realMaxInstances: '200', warmup: '0', instanceTimeout: '2min' });
    expect(options).toMatchObject({ realScale: 0.1, realMaxInstances: 200, warmup: 0, instanceTimeoutMs: 120_000 });
  });

  it(`refuses --real-max-instances above the hard limit (${HARD_MAX_INSTANCES})`, () => {
    expect(() => parseBenchOptions({ realMaxInstances: '201' })).toThrow(/above the hard limit of 200/);
  });

  it('takes --on-instance-failure continue or stop, and nothing else', () => {
    expect(parseBenchOptions({ onInstanceFailure: 'stop' }).onInstanceFailure).toBe('stop');
    expect(() => parseBenchOptions({ onInstanceFailure: 'retry' })).toThrow('--on-instance-failure must be "continue" or "stop", got "retry"');
  });

  it('lists every problem in one UsageError', () => {
    let error: unknown;
    try {
      parseBenchOptions({ repetitions: '1.5', realScale: 'big', real: ['kvm'], instanceTimeout: '5h', results: ' ', report: ['pdf'], failOn: 'all' });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(UsageError);
    expect((error as Error).message.split('\n')).toEqual([
      '--real: unknown backend "kvm" (did you mean "qemu"?); choose from docker, swarm, podman, containerd, host, qemu',
      '--real-scale must be a number, got "big"',
      '--repetitions must be a whole number, got "1.5"',
      '--instance-timeout: unknown duration unit "h" in "5h" (units: ms s min)',
      '--results needs a folder name',
      '--report: unknown format "pdf"; choose from md, html, csv, gab, json',
      '--fail-on must be "regression" or "none", got "all"',
    ]);
  });
});
