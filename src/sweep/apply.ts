// One sweep point: a copy of the scenario file's data with one field set to one value. Pure: the
// input is not changed. The value goes in as text (a size, a duration) or a number, and the
// scenario's own checks then read it like any value written in the file.

import type { SweepTarget } from './path.js';

/** "100" -> 100, "0.5" -> 0.5, "true" -> true, "512MiB" -> "512MiB". */
export function sweepValue(text: string): string | number | boolean {
  if (/^-?\d+(\.\d+)?$/.test(text)) return Number(text);
  if (text === 'true' || text === 'false') return text === 'true';
  return text;
}

/** The raw scenario with `value` written at every target. */
export function applySweepValue(raw: Record<string, unknown>, targets: readonly SweepTarget[], value: string): Record<string, unknown> {
  const copy = structuredClone(raw);
  // `host: server` is shorthand for `host: { preset: server }`: a host field needs the mapping.
  if (typeof copy.host === 'string' && targets.some((t) => t.path[0] === 'host')) copy.host = { preset: copy.host };
  for (const target of targets) write(copy, target.path, sweepValue(value), target.onlyWhereSet);
  return copy;
}

function write(node: Record<string, unknown>, path: readonly (string | '*')[], value: unknown, onlyWhereSet: boolean): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (head === 'services' && Array.isArray(node.services)) {
    const [which, ...tail] = rest;
    const services = node.services as unknown[];
    const indices = which === '*' ? services.map((_, i) => i) : [Number(which)];
    for (const i of indices) {
      const service = services[i];
      // A fleet entry ({ template, count }) is swept in its template: every copy takes the value.
      const target = isRecord(service) && isRecord(service.template) ? service.template : service;
      if (isRecord(target)) write(target, tail, value, onlyWhereSet);
    }
    return;
  }
  if (rest.length === 0) {
    if (!onlyWhereSet || head in node) node[head] = value;
    return;
  }
  if (!isRecord(node[head])) {
    if (onlyWhereSet) return;
    node[head] = {};
  }
  write(node[head] as Record<string, unknown>, rest, value, onlyWhereSet);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
