// Needs Docker with gVisor (runsc) and crun registered (test/engines.ts: `runsc`, `crun`): skipped
// with the reason when either is missing, failed under ISOBENCH_REQUIRE_ENGINES=1.

import { describe, expect, it } from 'vitest';
import { dockerBackend } from '../../../src/backends/docker/index.js';
import type { RealRunOptions } from '../../../src/backends/types.js';
import type { Scenario } from '../../../src/scenario/types.js';
import { completedResult } from '../outcome.js';
import { needs } from '../../engines.js';
import { MiB, runOptions, scenario, service } from './fixtures.js';

const gate = await needs('test/backends/docker/runtimes.engine.test.ts', 'docker', 'runsc', 'crun');

function options(runId: string): RealRunOptions {
  return runOptions(runId, { maxInstances: 4, instanceTimeoutMs: 30_000 });
}

function onRuntime(runtime: string): Scenario {
  const base = scenario('rt', [service('app', 2, [['t-rt', 1 * MiB]], { memoryBytes: 4 * MiB })], 2);
  return { ...base, services: base.services.map((s) => ({ ...s, container: { runtime } })) };
}

describe.runIf(gate.run)(gate.title('docker runs the scenario runtime'), () => {
  for (const runtime of ['docker-runsc', 'docker-crun']) {
    it(`${runtime}: measured on it, recorded with its version, nothing left`, { timeout: 90_000 }, async () => {
      gate.check();
      const opts = options(`test-rt-${process.pid}-${runtime}`);
      const result = completedResult(await dockerBackend.run(onRuntime(runtime), opts));
      await opts.cleanup.run();
      const oci = runtime.split('-')[1];
      expect(result.profile).toBe(runtime);
      expect(result.provenance).toMatchObject({ kind: 'measured', engine: 'docker', runtime: oci });
      // `runsc --version` / `crun --version` print "<name> version ..." on their first line.
      expect(result.provenance.kind === 'measured' ? result.provenance.runtimeVersion : null).toMatch(new RegExp(`^${oci} version`));
      expect(result.metrics.memoryPerInstanceBytes).toBeGreaterThan(4 * MiB);
    });
  }
});
