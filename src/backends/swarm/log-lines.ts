// Reading the app's markers from a task container's log, each line prefixed by the engine's own
// timestamp ("2024-05-01T10:00:00.123456789Z ISOBENCH_READY"): the time the line was written, not
// the time isobench read it. Pure.

import { DONE_MARKER, FAILED_MARKER, READY_MARKER } from '../shared/app-script.js';

/** Epoch ms (with sub-ms digits) of an RFC 3339 timestamp with up to nanoseconds; NaN when not one. */
export function epochMs(stamp: string): number {
  const match = /^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)(?:\.(\d+))?(Z|[+-]\d\d:\d\d)$/.exec(stamp.trim());
  if (match === null) return Number.NaN;
  const whole = Date.parse(`${match[1]}${match[3]}`);
  const fraction = match[2] === undefined ? 0 : Number(`0.${match[2]}`) * 1000;
  return whole + fraction;
}

export type LogMarker = { kind: 'ready' | 'done'; atMs: number } | { kind: 'failed'; atMs: number; reason: string };

/** The marker on one timestamped log line, or undefined. */
export function markerOf(line: string): LogMarker | undefined {
  const space = line.indexOf(' ');
  if (space < 0) return undefined;
  const atMs = epochMs(line.slice(0, space));
  const text = line.slice(space + 1);
  if (Number.isNaN(atMs)) return undefined;
  if (text.startsWith(READY_MARKER)) return { kind: 'ready', atMs };
  if (text.startsWith(DONE_MARKER)) return { kind: 'done', atMs };
  if (text.startsWith(FAILED_MARKER)) return { kind: 'failed', atMs, reason: text.slice(FAILED_MARKER.length).trim() };
  return undefined;
}
