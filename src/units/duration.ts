// Durations as people write them in scenarios: "250ms", "1.5s", "2min".

export const DURATION_UNITS = { ms: 1, s: 1000, min: 60_000 } as const;

export type DurationUnit = keyof typeof DURATION_UNITS;

const DURATION_PATTERN = /^\s*(\d+(?:\.\d+)?)\s*([A-Za-z]+)?\s*$/;

/** Result of parsing a duration: milliseconds, or why the text is not a duration. */
export type ParsedDuration = { ok: true; ms: number } | { ok: false; reason: string };

/** Parses "250ms" to 250. A unit is required, except for a bare 0. */
export function parseDuration(text: string | number): ParsedDuration {
  const units = Object.keys(DURATION_UNITS).join(' ');
  if (typeof text === 'number') {
    return text === 0 ? { ok: true, ms: 0 } : { ok: false, reason: `a duration needs a unit, e.g. "${text}ms" (units: ${units})` };
  }
  const match = DURATION_PATTERN.exec(text);
  if (!match) return { ok: false, reason: `"${text}" is not a duration; write a number and a unit, e.g. "250ms" (units: ${units})` };
  const value = Number(match[1]);
  const unit = match[2];
  if (unit === undefined) {
    return value === 0 ? { ok: true, ms: 0 } : { ok: false, reason: `"${text}" needs a unit, e.g. "${text}ms" (units: ${units})` };
  }
  if (!(unit in DURATION_UNITS)) return { ok: false, reason: `unknown duration unit "${unit}" in "${text}" (units: ${units})` };
  return { ok: true, ms: value * DURATION_UNITS[unit as DurationUnit] };
}
