// Byte sizes as people write them in scenarios: "96MiB", "2 GB", "0". Binary and decimal units.

export const SIZE_UNITS = {
  B: 1,
  KiB: 1024,
  MiB: 1024 ** 2,
  GiB: 1024 ** 3,
  TiB: 1024 ** 4,
  KB: 1000,
  MB: 1000 ** 2,
  GB: 1000 ** 3,
  TB: 1000 ** 4,
} as const;

export type SizeUnit = keyof typeof SIZE_UNITS;

const SIZE_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)?\s*$/;

/** Result of parsing a size: bytes (a whole number), or why the text is not a size. */
export type ParsedSize = { ok: true; bytes: number } | { ok: false; reason: string };

/** Parses "96MiB" to 100663296. A unit is required, except for a bare 0. */
export function parseSize(text: string | number): ParsedSize {
  if (typeof text === 'number') {
    return text === 0 ? { ok: true, bytes: 0 } : { ok: false, reason: `a size needs a unit, e.g. "${text}MiB" (units: ${unitList()})` };
  }
  const match = SIZE_PATTERN.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a size; write a number and a unit, e.g. "96MiB" (units: ${unitList()})` };
  const value = Number(match[1]);
  const unit = match[2];
  if (unit === undefined) {
    return value === 0 ? { ok: true, bytes: 0 } : { ok: false, reason: `"${text}" needs a unit, e.g. "${text}MiB" (units: ${unitList()})` };
  }
  if (!(unit in SIZE_UNITS)) return { ok: false, reason: `unknown size unit "${unit}" in "${text}" (units: ${unitList()})` };
  const bytes = Math.round(value * SIZE_UNITS[unit as SizeUnit]);
  if (!Number.isSafeInteger(bytes)) return { ok: false, reason: `"${text}" is too large` };
  return { ok: true, bytes };
}

function unitList(): string {
  return Object.keys(SIZE_UNITS).join(' ');
}
