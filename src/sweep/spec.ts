// `--sweep KEY=V1,V2,...`: which field of a scenario to vary and the values it takes, as given.
// Values stay text here; the scenario's own checks read them (units and bounds), point by point.

import { UsageError } from '../errors.js';

/** One sweep as the user wrote it. */
export interface SweepSpec {
  /** The field, e.g. "instances", "vm.memory", "host.cpus", "services[0].app.memory". */
  key: string;
  /** Its values in the order given, e.g. ["1", "10", "100", "1000"] or ["512MiB", "1GiB"]. */
  values: string[];
}

/** Most points a sweep may have: each is a whole scenario evaluation and a column in every chart. */
export const MAX_SWEEP_POINTS = 50;

const KEY = /^[A-Za-z][\w-]*(\[(\d+|\*)\])?(\.[A-Za-z][\w-]*)*$/;

/** Parses every --sweep option; throws one UsageError listing each problem. */
export function parseSweeps(texts: readonly string[]): SweepSpec[] {
  const problems: string[] = [];
  const sweeps: SweepSpec[] = [];
  for (const text of texts) {
    const at = text.indexOf('=');
    const key = (at < 0 ? text : text.slice(0, at)).trim();
    const values =
      at < 0
        ? []
        : text
            .slice(at + 1)
            .split(',')
            .map((value) => value.trim());
    if (at < 0 || key === '' || values.every((value) => value === '')) {
      problems.push(`--sweep "${text}": expected FIELD=V1,V2,..., e.g. --sweep instances=1,10,100,1000 or --sweep vm.memory=512MiB,1GiB`);
    } else if (!KEY.test(key)) {
      problems.push(`--sweep "${text}": "${key}" is not a field path; write it as in the scenario file, e.g. instances, vm.memory, host.cpus, services[0].app.memory`);
    } else if (values.some((value) => value === '')) {
      problems.push(`--sweep ${key}: an empty value in "${text.slice(at + 1)}"; separate values with single commas`);
    } else if (new Set(values).size !== values.length) {
      problems.push(`--sweep ${key}: a value is listed twice in "${text.slice(at + 1)}"`);
    } else if (values.length > MAX_SWEEP_POINTS) {
      problems.push(`--sweep ${key}: ${values.length} values; a sweep has at most ${MAX_SWEEP_POINTS}`);
    } else if (sweeps.some((sweep) => sweep.key === key)) {
      problems.push(`--sweep ${key} is given twice; list every value in one --sweep`);
    } else {
      sweeps.push({ key, values });
    }
  }
  if (problems.length > 0) throw new UsageError(problems.join('\n'));
  return sweeps;
}

/** The report's name of one point: "small-web-app@instances=100". */
export function sweepPointName(scenario: string, key: string, value: string): string {
  return `${scenario}@${key}=${value}`;
}
