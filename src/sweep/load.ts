// Scenario files -> every sweep point as a checked Scenario named "NAME@KEY=VALUE", and the sweeps
// that link them. Each point is checked like a file of its own, so a value the field does not
// accept (a size without a unit, an app larger than its VM) is refused naming the file and the point.

import { InputError, UsageError, type Problem } from '../errors.js';
import type { ProfileCatalog } from '../profiles/types.js';
import type { SweepReport } from '../report/types.js';
import { checkScenarioData, loadScenarios, readScenarioData, schemasFor } from '../scenario/load.js';
import { readScenarioText } from '../scenario/read-file.js';
import type { Scenario } from '../scenario/types.js';
import { applySweepValue } from './apply.js';
import { resolveSweepKey, type SweepTarget } from './path.js';
import { sweepPointName, type SweepSpec } from './spec.js';

/** Loads `files`; with sweeps, returns their points instead of the scenarios as written. */
export async function loadSweptScenarios(files: string[], catalog: ProfileCatalog, sweeps: readonly SweepSpec[]): Promise<{ scenarios: Scenario[]; sweeps: SweepReport[] }> {
  const bases = await loadScenarios(files, catalog); // every problem of the files as written, first
  if (sweeps.length === 0) return { scenarios: bases, sweeps: [] };
  const resolved = resolveAll(sweeps, catalog);
  const problems: Problem[] = [];
  const scenarios: Scenario[] = [];
  const reports: SweepReport[] = [];
  for (const base of bases) {
    const read = await readScenarioText(base.file);
    if (!read.ok) throw new InputError([read.problem]);
    const data = readScenarioData(read.text, base.file);
    for (const { sweep, targets } of resolved) {
      const points: string[] = [];
      const entries = Array.isArray(data.value.services) ? data.value.services.length : 0;
      const outOfRange = targets.find((t) => t.path[0] === 'services' && t.path[1] !== '*' && Number(t.path[1]) >= entries);
      if (outOfRange) {
        problems.push({ file: base.file, path: 'services', message: `--sweep ${sweep.key}: this file lists ${entries} service(s), numbered from 0` });
        continue;
      }
      for (const value of sweep.values) {
        const name = sweepPointName(base.name, sweep.key, value);
        try {
          const point = checkScenarioData(applySweepValue(data.value, targets, value), base.file, data.positions, catalog);
          scenarios.push({ ...point, name });
          points.push(name);
        } catch (error) {
          if (!(error instanceof InputError)) throw error;
          problems.push(...error.problems.map((p) => ({ ...p, message: `with --sweep ${sweep.key}=${value}: ${p.message}` })));
        }
      }
      reports.push({ scenario: base.name, key: sweep.key, values: [...sweep.values], points });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return { scenarios, sweeps: reports };
}

/** Each sweep key resolved against the scenario schema; one UsageError for every key that names no field. */
function resolveAll(sweeps: readonly SweepSpec[], catalog: ProfileCatalog): { sweep: SweepSpec; targets: SweepTarget[] }[] {
  const keys = schemasFor(catalog).keys;
  const problems: string[] = [];
  const out = sweeps.flatMap((sweep) => {
    const resolved = resolveSweepKey(sweep.key, keys);
    if (resolved.ok) return [{ sweep, targets: resolved.targets }];
    problems.push(`--sweep ${sweep.key}: ${resolved.message}${resolved.suggestion === undefined ? '' : ` (did you mean "${resolved.suggestion}"?)`}`);
    return [];
  });
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return out;
}
