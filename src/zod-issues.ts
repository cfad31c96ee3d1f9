// zod's issue texts ("Invalid input: expected record, received undefined") in the suite's words:
// what is missing or wrong and what would be valid, for files checked with a plain zod schema
// (host profiles, reports). Scenario files have their own, richer messages (src/scenario/fields.ts).

import type { z } from 'zod';

const EXPECTED: Record<string, string> = {
  record: 'a JSON object',
  object: 'a JSON object',
  array: 'a JSON list',
  string: 'a string',
  number: 'a number',
  boolean: 'true or false',
  null: 'null',
};

/** One issue as "is required: a JSON object", "expected a number, got the string "5"" ... */
export function describeZodIssue(issue: z.core.$ZodIssue): string {
  const input = (issue as { input?: unknown }).input;
  if (issue.code === 'invalid_type') {
    const expected = EXPECTED[issue.expected] ?? issue.expected;
    if (input === undefined || /received undefined$/.test(issue.message)) return `is required: ${expected}`;
    return `expected ${expected}, got ${describeValue(input)}`;
  }
  if (issue.code === 'unrecognized_keys') return `unknown field${issue.keys.length === 1 ? '' : 's'} ${issue.keys.map((k) => JSON.stringify(k)).join(', ')}`;
  if (issue.code === 'invalid_value') return `must be ${issue.values.map((v) => JSON.stringify(v)).join(' or ')}${input === undefined ? '' : `, got ${describeValue(input)}`}`;
  return issue.message.replace(/^Invalid (input|option|value): /, '');
}

/** ["overrides", "a.b", "value"] -> "overrides["a.b"].value": keys with dots or dashes quoted. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  return path.reduce<string>((out, key) => {
    if (typeof key === 'number') return `${out}[${key}]`;
    const text = String(key);
    if (!/^[A-Za-z_$][\w$]*$/.test(text)) return `${out}[${JSON.stringify(text)}]`;
    return out === '' ? text : `${out}.${text}`;
  }, '');
}

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value)}`;
  return `${typeof value} ${String(value)}`;
}
