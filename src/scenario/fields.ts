// Leaf fields of a scenario as zod schemas with our own messages: each says what was found and what
// would be valid, and carries a near-miss suggestion in `params.suggestion` when there is one.

import { z } from 'zod';
import { DURATION_UNITS, parseDuration } from '../units/duration.js';
import { SIZE_UNITS, parseSize } from '../units/size.js';
import { suggest } from './suggest.js';

/** What a checker returns: a value, or a message (and maybe a suggestion) for one problem. */
export type Checked<T> = { ok: true; value: T } | { ok: false; message: string; suggestion?: string };

type Checker<T> = (input: unknown) => Checked<T>;

/** Wraps a checker as a zod schema that reports one custom issue with our message. */
export function field<T>(check: Checker<T>) {
  return z.unknown().transform((input, ctx): T => {
    const result = check(input);
    if (result.ok) return result.value;
    ctx.addIssue({
      code: 'custom',
      message: result.message,
      input,
      ...(result.suggestion === undefined ? {} : { params: { suggestion: result.suggestion } }),
    });
    return z.NEVER;
  });
}

/** "the string "abc"", "a list", "the number 1.5": what the user wrote, safe to print. */
export function describeInput(input: unknown): string {
  if (input === undefined) return 'nothing';
  if (input === null) return 'an empty value';
  if (Array.isArray(input)) return 'a list';
  if (typeof input === 'object') return 'a mapping';
  if (typeof input === 'string') return `the string ${quote(input)}`;
  if (typeof input === 'number') {
    if (Number.isNaN(input)) return '.nan (not a number)';
    if (!Number.isFinite(input)) return input > 0 ? '.inf (infinity)' : '-.inf (minus infinity)';
    return `the number ${input}`;
  }
  if (typeof input === 'boolean') return `the boolean ${input}`;
  return typeof input;
}

/** 10000000 -> "10,000,000" (without Intl, whose first use costs tens of milliseconds). */
export function thousands(value: number): string {
  return String(value).replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** JSON-quoted and cut to 60 characters, so control characters and huge strings never reach a terminal raw. */
export function quote(text: string): string {
  const cut = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return JSON.stringify(cut);
}

function missingOrWrong(input: unknown, expected: string): Checked<never> {
  if (input === undefined) return { ok: false, message: `is required: ${expected}` };
  if (input === null) return { ok: false, message: `is empty; expected ${expected}` };
  return { ok: false, message: `expected ${expected}, got ${describeInput(input)}` };
}

function nonFinite(input: number, expected: string): Checked<never> | undefined {
  if (Number.isNaN(input)) return { ok: false, message: `is .nan (not a number); expected ${expected}` };
  if (!Number.isFinite(input)) return { ok: false, message: `is infinite; expected ${expected}` };
  return undefined;
}

/** Bounds of a size or duration field. */
export interface AmountOptions {
  /** Largest value accepted, and how to write it in a message. */
  max: number;
  maxText: string;
  /** 0 is refused (memory, guest image) rather than allowed (file size, layer). */
  positive: boolean;
}

/** How to read one kind of amount: its units, an example, and its parser. */
interface AmountKind {
  kind: 'size' | 'duration';
  units: string[];
  example: string;
  parse: (input: string | number) => { ok: true; value: number } | { ok: false; reason: string };
}

const SIZE: AmountKind = {
  kind: 'size',
  units: Object.keys(SIZE_UNITS),
  example: '"96MiB"',
  parse: (input) => {
    const parsed = parseSize(input);
    return parsed.ok ? { ok: true, value: parsed.bytes } : parsed;
  },
};

const DURATION: AmountKind = {
  kind: 'duration',
  units: Object.keys(DURATION_UNITS),
  example: '"250ms"',
  parse: (input) => {
    const parsed = parseDuration(input);
    return parsed.ok ? { ok: true, value: parsed.ms } : parsed;
  },
};

/** A number with a unit (a bare 0 may stand alone), refused when negative, non-finite or out of bounds. */
function checkAmount(input: unknown, options: AmountOptions, amount: AmountKind): Checked<number> {
  const expected = `a ${amount.kind} such as ${amount.example} (units: ${amount.units.join(' ')})`;
  if (typeof input === 'number') {
    const bad = nonFinite(input, expected);
    if (bad) return bad;
    if (input < 0) return { ok: false, message: `cannot be negative (${input}); expected ${expected}` };
  } else if (typeof input === 'string') {
    if (/^\s*-/.test(input)) return { ok: false, message: `cannot be negative (${quote(input)}); expected ${expected}` };
  } else {
    return missingOrWrong(input, expected);
  }
  const parsed = amount.parse(input);
  if (!parsed.ok) return { ok: false, message: parsed.reason, ...unitSuggestion(input, amount.units) };
  return bounded(parsed.value, String(input), options, amount.kind);
}

/** A byte size such as "96MiB" (a bare 0 may stand alone), as whole bytes. */
export function checkSize(input: unknown, options: AmountOptions): Checked<number> {
  return checkAmount(input, options, SIZE);
}

/** A duration such as "250ms" (a bare 0 may stand alone), in milliseconds. */
export function checkDuration(input: unknown, options: AmountOptions): Checked<number> {
  return checkAmount(input, options, DURATION);
}

function bounded(value: number, text: string, options: AmountOptions, kind: string): Checked<number> {
  if (value > options.max) return { ok: false, message: `${quote(text)} is absurdly large; the largest ${kind} accepted here is ${options.maxText}` };
  if (options.positive && value === 0) return { ok: false, message: `must be larger than 0; expected a ${kind} above 0, up to ${options.maxText}` };
  return { ok: true, value };
}

/** "96mb" -> "96MB", "2 GIB" -> "2GiB": the same number with the closest known unit. */
function unitSuggestion(input: string | number, units: string[]): { suggestion?: string } {
  const match = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)\s*$/.exec(String(input));
  if (!match) return {};
  const unit = suggest(match[2] ?? '', units);
  return unit === undefined || unit === match[2] ? {} : { suggestion: `${match[1]}${unit}` };
}

/** A whole number in [min, max]. */
export function checkInteger(input: unknown, min: number, max: number): Checked<number> {
  if (typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max) return { ok: true, value: input };
  const expected = `a whole number from ${min} to ${thousands(max)}`;
  if (typeof input !== 'number') return missingOrWrong(input, expected);
  const bad = nonFinite(input, expected);
  if (bad) return bad;
  if (input < 0 && min >= 0) return { ok: false, message: `cannot be negative (${input}); expected ${expected}` };
  if (!Number.isInteger(input)) return { ok: false, message: `must be a whole number, got ${input}; expected ${expected}` };
  if (input < min) return { ok: false, message: `must be at least ${min}, got ${input}` };
  if (input > max) return { ok: false, message: `${input} is absurdly large; expected ${expected}` };
  return { ok: true, value: input };
}

/** A share written as a percentage, "10%" or "0.5%", from 0% to 100%; returned as a fraction (0.1). */
export function checkPercent(input: unknown): Checked<number> {
  const expected = 'a percentage from 0% to 100%, e.g. "10%"';
  if (typeof input === 'number') return { ok: false, message: `${input} has no "%"; expected ${expected}`, ...(input >= 0 && input <= 100 ? { suggestion: `${input}%` } : {}) };
  if (typeof input !== 'string') return missingOrWrong(input, expected);
  const match = /^\s*(\d+(?:\.\d+)?)\s*%\s*$/.exec(input);
  if (match === null) return { ok: false, message: `${quote(input)} is not a percentage; expected ${expected}` };
  const value = Number(match[1]);
  if (value > 100) return { ok: false, message: `${quote(input)} is more than 100%; expected ${expected}` };
  return { ok: true, value: value / 100 };
}

/** A rate in MB/s (decimal), a positive finite number up to max. */
export function checkRate(input: unknown, max: number): Checked<number> {
  const expected = `a rate in MB/s, a number above 0 and at most ${thousands(max)}, e.g. 1000`;
  if (typeof input !== 'number') return missingOrWrong(input, expected);
  const bad = nonFinite(input, expected);
  if (bad) return bad;
  if (input < 0) return { ok: false, message: `cannot be negative (${input}); expected ${expected}` };
  if (input === 0) return { ok: false, message: `must be larger than 0; expected ${expected}` };
  if (input > max) return { ok: false, message: `${input} is absurdly large; expected ${expected}` };
  return { ok: true, value: input };
}

/** true or false (YAML 1.2: `yes`/`no` are strings). */
export function checkBoolean(input: unknown): Checked<boolean> {
  if (typeof input === 'boolean') return { ok: true, value: input };
  return missingOrWrong(input, 'true or false');
}

/** One of `values`, with a suggestion for a near miss; `noun` says what it is ("container runtime"). */
export function checkChoice<T extends string>(input: unknown, values: readonly T[], noun: string): Checked<T> {
  const expected = `a ${noun}: one of ${values.join(', ')}`;
  if (typeof input !== 'string') return missingOrWrong(input, expected);
  if ((values as readonly string[]).includes(input)) return { ok: true, value: input as T };
  const suggestion = suggest(input, values);
  return {
    ok: false,
    message: `unknown ${noun} ${quote(input)}; valid: ${values.join(', ')}`,
    ...(suggestion === undefined ? {} : { suggestion }),
  };
}

/** A string matching `pattern`, 1..maxChars long; `rule` says in words what the pattern allows. */
export function checkText(input: unknown, pattern: RegExp, maxChars: number, rule: string): Checked<string> {
  if (typeof input !== 'string') return missingOrWrong(input, rule);
  if (input.length === 0) return { ok: false, message: `is empty; expected ${rule}` };
  if (input.length > maxChars) return { ok: false, message: `is ${input.length} characters long; expected at most ${maxChars}` };
  if (!pattern.test(input)) return { ok: false, message: `${quote(input)} is not valid; expected ${rule}` };
  return { ok: true, value: input };
}
