// The public way in: scenario text or files -> validated, normalized Scenarios, or one InputError
// listing every problem found (syntax, shape, cross-field rules, duplicate names across files).

import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InputError, type Problem } from '../errors.js';
import type { ProfileCatalog } from '../profiles/types.js';
import { expandFleets, fleetPositions, fleetProblems } from './fleet.js';
import { problemsFromIssues } from './issues.js';
import { normalizeScenario } from './normalize.js';
import { readScenarioText } from './read-file.js';
import { readYaml } from './read-yaml.js';
import { crossFieldProblems } from './rules.js';
import { scenarioSchemas, type ScenarioSchemas } from './schema.js';
import type { Scenario } from './types.js';
import type { Positions } from './yaml-positions.js';

const schemaCache = new WeakMap<ProfileCatalog, ScenarioSchemas>();

/** Parses and validates one scenario's YAML text; throws InputError with ALL its problems. */
export function parseScenarioText(text: string, file: string, catalog: ProfileCatalog): Scenario {
  return parseDetailed(text, file, catalog).scenario;
}

/** Reads, checks and parses one scenario file; throws InputError naming the file. */
export async function loadScenarioFile(file: string, catalog: ProfileCatalog): Promise<Scenario> {
  const read = await readScenarioText(file);
  if (!read.ok) throw new InputError([read.problem]);
  return parseScenarioText(read.text, file, catalog);
}

/** Loads every file; throws one InputError with all problems of all files, and names used twice. */
export async function loadScenarios(files: string[], catalog: ProfileCatalog): Promise<Scenario[]> {
  const problems: Problem[] = [];
  const loaded: { scenario: Scenario; positions: Positions }[] = [];
  for (const file of [...new Set(files)]) {
    const read = await readScenarioText(file);
    if (!read.ok) {
      problems.push(read.problem);
      continue;
    }
    try {
      loaded.push(parseDetailed(read.text, file, catalog));
    } catch (error) {
      if (!(error instanceof InputError)) throw error;
      problems.push(...error.problems);
    }
  }
  const firstFile = new Map<string, string>();
  for (const { scenario, positions } of loaded) {
    const first = firstFile.get(scenario.name);
    if (first === undefined) firstFile.set(scenario.name, scenario.file);
    else {
      const line = positions.lineOf(['name']);
      problems.push({
        file: scenario.file,
        path: 'name',
        ...(line === undefined ? {} : { line }),
        message: `scenario name "${scenario.name}" is already used by ${first}; scenario names must be unique (they name result files)`,
      });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return loaded.map(({ scenario }) => scenario);
}

/** The *.yaml and *.yml files directly in `dir`, sorted by name (dotfiles skipped). */
export async function findScenarioFiles(dir: string): Promise<string[]> {
  let entries;
  try {
    entries = await readdir(dir, { withFileTypes: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? 'scenario folder does not exist' : code === 'ENOTDIR' ? 'is not a folder' : `cannot be listed (${code})`;
    throw new InputError([{ file: dir, path: '', message }]);
  }
  return entries
    .filter((entry) => (entry.isFile() || entry.isSymbolicLink()) && /\.ya?ml$/.test(entry.name) && !entry.name.startsWith('.'))
    .map((entry) => entry.name)
    .sort()
    .map((name) => join(dir, name));
}

function parseDetailed(text: string, file: string, catalog: ProfileCatalog): { scenario: Scenario; positions: Positions } {
  const read = readScenarioData(text, file);
  return { scenario: checkScenarioData(read.value, file, read.positions, catalog), positions: read.positions };
}

/** Scenario text -> its YAML data and line positions; throws InputError on a syntax problem. */
export function readScenarioData(text: string, file: string): { value: Record<string, unknown>; positions: Positions } {
  const read = readYaml(text, file);
  if (!read.ok) throw new InputError(read.problems);
  return { value: read.value, positions: read.positions };
}

/** Checks one scenario's data (shape and cross-field rules) and normalizes it; throws InputError with ALL its problems. */
export function checkScenarioData(value: Record<string, unknown>, file: string, positions: Positions, catalog: ProfileCatalog): Scenario {
  const schemas = schemasFor(catalog);
  // Fleets first: `{ template, count }` entries become services; problems in a copy point at the template.
  const fleet = expandFleets(value, file, positions);
  const at = fleetPositions(positions, fleet.origins);
  const parsed = schemas.scenario.safeParse(fleet.value, { reportInput: true });
  const found = parsed.success ? [] : problemsFromIssues(parsed.error.issues, file, at, schemas.keys);
  found.push(...crossFieldProblems(fleet.value, file, at, schemas));
  const problems = [...fleet.problems, ...fleetProblems(found, fleet.origins)];
  if (problems.length > 0 || !parsed.success) throw new InputError(sortByLine(problems));
  return normalizeScenario(parsed.data, file, catalog);
}

/** The schemas of one catalog, built once. */
export function schemasFor(catalog: ProfileCatalog): ScenarioSchemas {
  let schemas = schemaCache.get(catalog);
  if (schemas === undefined) {
    schemas = scenarioSchemas(catalog);
    schemaCache.set(catalog, schemas);
  }
  return schemas;
}

/** Problems in file order (those without a line first), stable otherwise. */
function sortByLine(problems: Problem[]): Problem[] {
  return problems
    .map((problem, index) => ({ problem, index }))
    .sort((a, b) => (a.problem.line ?? 0) - (b.problem.line ?? 0) || a.index - b.index)
    .map(({ problem }) => problem);
}
