// Test settings: every test/**/*.test.ts runs; the build runs once first so CLI tests exercise the
// current source through bin/isobench.js. Two projects, run one after the other:
// - "main": everything else, files in parallel;
// - "faults": *.destructive.test.ts, which stop the Docker daemon and so would break any engine test
//   running beside them. They run last (sequence.groupOrder), one file at a time, and restart the
//   daemon in afterAll.

import { configDefaults, defineConfig } from 'vitest/config';

const DESTRUCTIVE = 'test/**/*.destructive.test.ts';

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
        test: { name: 'main', include: ['test/**/*.test.ts'], exclude: [...configDefaults.exclude, DESTRUCTIVE], sequence: { groupOrder: 0 } },
      },
      {
        extends: true,
        test: { name: 'faults', include: [DESTRUCTIVE], sequence: { groupOrder: 1 }, fileParallelism: false },
      },
    ],
  },
});
