// Test settings: every test/**/*.test.ts runs; the build runs once first so CLI tests exercise the
// current source through bin/isobench.js. Three projects, run one after the other:
// - "main": everything else, files in parallel;
// - "swarm": the tests that change the engine's swarm state, one file at a time;
// - "faults": *.destructive.test.ts, which stop the Docker daemon and so would break any engine test
//   running beside them. They run last (sequence.groupOrder), one file at a time, and restart the
//   daemon in afterAll.

import { configDefaults, defineConfig } from 'vitest/config';

const DESTRUCTIVE = 'test/**/*.destructive.test.ts';
// Tests that change the engine's swarm state (init, leave, services) and check it afterwards: two at
// once would see each other's swarm.
const SWARM = ['test/backends/swarm/*.engine.test.ts', 'test/reliability/swarm-*.test.ts'];

export default defineConfig({
  test: {
    globalSetup: ['test/global-setup.ts'],
    // vitest's own report, then one plain "tests: N passed, N failed, N skipped" line.
    reporters: ['default', './test/summary-reporter.ts'],
    // CLI tests start Node; engine tests start containers and VMs and set their own, longer limits.
    testTimeout: 30_000,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, DESTRUCTIVE, ...SWARM], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'swarm', include: SWARM, sequence: { groupOrder: 1 }, fileParallelism: false },
      },
      {
        extends: true,
        test: { name: 'faults', include: [DESTRUCTIVE], sequence: { groupOrder: 2 }, fileParallelism: false },
      },
    ],
  },
});
