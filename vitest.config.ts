// Test settings: every test/**/*.test.ts runs (nothing excluded); the build runs once first so CLI
// tests exercise the current source through bin/isobench.js.

import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    globalSetup: ['test/global-setup.ts'],
    // CLI tests start Node; engine tests start containers and VMs and set their own, longer limits.
    testTimeout: 30_000,
    hookTimeout: 120_000,
  },
});
