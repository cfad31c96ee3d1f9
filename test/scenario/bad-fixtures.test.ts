// Every bad fixture through the library: exactly the expected problem (file, field path, line,
// message, suggestion), as an InputError, never another kind of error.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../src/errors.js';
import { builtinCatalog } from '../../src/profiles/catalog.js';
import { loadScenarioFile } from '../../src/scenario/load.js';
import { committedBadCases, generatedBadCases, type BadScenarioCase } from '../fixtures/bad-scenarios/cases.js';

const catalog = builtinCatalog();
let tempDir = '';
let generated: BadScenarioCase[] = [];

beforeAll(async () => {
  tempDir = await mkdtemp(join(tmpdir(), 'isobench-bad-'));
  generated = await generatedBadCases(tempDir);
});
afterAll(async () => {
  await rm(tempDir, { recursive: true, force: true });
});

async function problemsOf(file: string) {
  try {
    await loadScenarioFile(file, catalog);
  } catch (error) {
    expect(error).toBeInstanceOf(InputError);
    return (error as InputError).problems;
  }
  throw new Error(`${file} was accepted`);
}

function expectCase(problems: Awaited<ReturnType<typeof problemsOf>>, expected: BadScenarioCase): void {
  const match = problems.find((problem) => problem.path === expected.path && problem.message.includes(expected.message));
  expect(match, JSON.stringify(problems, null, 2)).toBeDefined();
  expect(match?.file).toBe(expected.file);
  if (expected.line !== undefined) expect(match?.line).toBe(expected.line);
  expect(match?.suggestion).toBe(expected.suggestion);
  if (expected.count !== 'any') expect(problems).toHaveLength(expected.count);
}

describe('committed bad scenario fixtures', () => {
  const cases = committedBadCases();
  it('has at least 45 of them', () => {
    expect(cases.length).toBeGreaterThanOrEqual(45);
  });
  it.each(cases.map((entry) => [entry.file.split('/').pop(), entry] as const))('%s', async (_name, entry) => {
    expectCase(await problemsOf(entry.file), entry);
  });
});

describe('bad inputs generated at test time', () => {
  it('a 20 MB file, a folder, a missing path and too many YAML nodes are each refused', async () => {
    expect(generated).toHaveLength(4);
    for (const entry of generated) expectCase(await problemsOf(entry.file), entry);
  });
});
