// Host profile files (written by `isobench calibrate`, read with `--profile FILE`).

import { readFile } from 'node:fs/promises';
import { closest } from 'fastest-levenshtein';
import { z } from 'zod';
import { InputError, type Problem } from '../errors.js';
import { getParam, paramPaths, withOverrides } from './catalog.js';
import type { ProfileCatalog } from './types.js';
import { jsonErrorPosition } from '../json-position.js';
import { describeZodIssue, formatIssuePath } from '../zod-issues.js';

export const PROFILE_KIND = 'isobench-host-profile';
export const PROFILE_SCHEMA_VERSION = 1;

const ParamSchema = z.strictObject({
  value: z.number().finite().nonnegative(),
  unit: z.enum(['ms', 'bytes', 'bytes/s', 'ratio', 'count', 'ms/GiB']),
  source: z.string().min(1),
});

export const HostProfileSchema = z.strictObject({
  schemaVersion: z.literal(PROFILE_SCHEMA_VERSION),
  kind: z.literal(PROFILE_KIND),
  createdAt: z.string(),
  /** What the profile was measured on: hostname, kernel, engine versions, accelerator. */
  host: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  overrides: z.record(z.string(), ParamSchema),
});

export type HostProfile = z.infer<typeof HostProfileSchema>;

/** Reads a host profile and applies it over `base`; any problem is an InputError naming the field. */
export async function loadHostProfile(file: string, base: ProfileCatalog): Promise<ProfileCatalog> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new InputError([{ file, path: '', message: `cannot read profile: ${(error as Error).message}` }]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (error) {
    const line = jsonErrorPosition(text)?.line;
    throw new InputError([{ file, path: '', ...(line === undefined ? {} : { line }), message: `not valid JSON: ${(error as Error).message}` }]);
  }
  const parsed = HostProfileSchema.safeParse(data, { reportInput: true });
  if (!parsed.success) {
    throw new InputError(parsed.error.issues.map((issue) => ({ file, path: formatIssuePath(issue.path), message: `${describeZodIssue(issue)} (a host profile as \`isobench calibrate\` writes it)` })));
  }
  const known = paramPaths(base);
  const problems: Problem[] = [];
  for (const [path, override] of Object.entries(parsed.data.overrides)) {
    const target = getParam(base, path);
    if (target === undefined) {
      problems.push({ file, path: `overrides.${path}`, message: 'no such model parameter', suggestion: closest(path, known) });
    } else if (target.unit !== override.unit) {
      problems.push({ file, path: `overrides.${path}.unit`, message: `must be "${target.unit}", got "${override.unit}"` });
    }
  }
  if (problems.length > 0) throw new InputError(problems);
  return withOverrides(base, parsed.data.overrides, file);
}
