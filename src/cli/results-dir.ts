// Where a bench run writes its reports when --results is not given: `results/` beside the
// scenarios' project, so that a run from another folder never splits inputs and outputs (reading
// the install's scenarios/ but writing results/ into the current folder).

import { basename, dirname, join, resolve } from 'node:path';

/**
 * The results folder for these scenario files: the parent of their `scenarios/` folder when they
 * all sit in one (the project's own, or the one shipped with isobench), else `results/` in the
 * current folder. Relative when the scenarios are under the current folder, so messages stay short.
 */
export function defaultResultsDir(scenarioFiles: readonly string[], cwd: string = process.cwd()): string {
  const folders = [...new Set(scenarioFiles.map((file) => dirname(resolve(cwd, file))))];
  const only = folders.length === 1 ? folders[0]! : undefined;
  if (only === undefined || basename(only) !== 'scenarios') return 'results';
  const project = dirname(only);
  return project === resolve(cwd) ? 'results' : join(project, 'results');
}
