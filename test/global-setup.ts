// Runs `npm run build` once before the tests, so tests that call `node bin/isobench.js` run the
// current source (dist/ is what bin/ imports). A failing build fails the run, with tsc's output.

import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

/** Marks the build done in this vitest process (each project calls setup; one build per run is enough). */
const BUILT = 'ISOBENCH_TEST_BUILT_BY_PID';

/** vitest calls this before any test file, once per project. */
export default function setup(): void {
  if (process.env[BUILT] === String(process.pid)) return;
  const root = fileURLToPath(new URL('..', import.meta.url));
  const build = spawnSync('npm', ['run', '--silent', 'build'], { cwd: root, encoding: 'utf8' });
  if (build.status !== 0) {
    throw new Error(`npm run build failed (exit ${build.status}); tests would run stale code:\n${build.stdout}${build.stderr}`);
  }
  process.env[BUILT] = String(process.pid);
}
