// zod issues -> Problems: one per issue, with the field path as users write it, the line, a message
// saying what would be valid, and a suggestion for near-miss keys.

import type { z } from 'zod';
import type { Problem } from '../errors.js';
import { describeInput, quote } from './fields.js';
import { suggest } from './suggest.js';
import type { PathSegment, Positions } from './yaml-positions.js';

/** `services[0].app.memory` from ["services", 0, "app", "memory"]. */
export function formatPath(path: readonly PathSegment[]): string {
  let text = '';
  for (const segment of path) {
    if (typeof segment === 'number') text += `[${segment}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(segment)) text += text === '' ? segment : `.${segment}`;
    else text += `[${quote(segment)}]`;
  }
  return text;
}

/** `services[].app` from ["services", 0, "app"]: the key into the schema's allowed-keys table. */
function pathPattern(path: readonly PathSegment[]): string {
  return formatPath(path.map((segment) => (typeof segment === 'number' ? -1 : segment))).replace(/\[-1\]/g, '[]');
}

const EXPECTED: Record<string, string> = {
  object: 'a mapping (key: value lines)',
  array: 'a list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
};

/** Every problem of a failed parse; `keys` is the allowed-keys table from scenarioSchemas. */
export function problemsFromIssues(issues: readonly z.core.$ZodIssue[], file: string, positions: Positions, keys: Record<string, string[]>): Problem[] {
  const problems: Problem[] = [];
  for (const issue of issues) {
    const path = issue.path.filter((segment): segment is PathSegment => typeof segment !== 'symbol');
    const at = (fieldPath: PathSegment[]) => {
      const line = positions.lineOf(fieldPath);
      return { file, path: formatPath(fieldPath), ...(line === undefined ? {} : { line }) };
    };
    if (issue.code === 'unrecognized_keys') {
      const allowed = keys[pathPattern(path)] ?? [];
      for (const key of issue.keys) {
        const suggestion = suggest(key, allowed) ?? movedKey(key, pathPattern(path), keys);
        problems.push({
          ...at([...path, key]),
          message: `unknown field ${quote(key)}; valid fields here: ${allowed.join(', ')}`,
          ...(suggestion === undefined ? {} : { suggestion }),
        });
      }
      continue;
    }
    if (issue.code === 'invalid_type') {
      const expected = EXPECTED[issue.expected] ?? issue.expected;
      const input = (issue as { input?: unknown }).input;
      const pattern = pathPattern(path);
      const fields = issue.expected === 'object' ? keys[pattern] : issue.expected === 'array' ? keys[`${pattern}[]`] : undefined;
      const hint = fields === undefined ? '' : issue.expected === 'array' ? ` of mappings with ${fields.join(', ')}` : ` with ${fields.join(', ')}`;
      problems.push({
        ...at(path),
        message: input === undefined ? `is required: ${expected}${hint}` : `expected ${expected}${hint}, got ${describeInput(input)}`,
      });
      continue;
    }
    const suggestion = (issue as { params?: { suggestion?: unknown } }).params?.suggestion;
    problems.push({ ...at(path), message: issue.message, ...(typeof suggestion === 'string' ? { suggestion } : {}) });
  }
  return problems;
}

/** A key written one level too high: `memory` on a service -> "app.memory". */
function movedKey(key: string, pattern: string, keys: Record<string, string[]>): string | undefined {
  const prefix = pattern === '' ? '' : `${pattern}.`;
  for (const [candidate, allowed] of Object.entries(keys)) {
    if (!candidate.startsWith(prefix) || candidate === pattern) continue;
    const child = candidate.slice(prefix.length);
    if (/^[\w-]+$/.test(child) && allowed.includes(key)) return `${child}.${key}`;
  }
  return undefined;
}
