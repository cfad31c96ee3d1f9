// Where a swept field lives in a scenario file. A short key reaches every place it applies to:
// `instances` and other service fields set every service; `vm.*` and `container.*` set the default
// and every service that overrides it (or the sweep would not change those services); top-level
// fields (`concurrency`, `host.cpus`, `cache`) are set once. `services[N]` or `services[*]` is explicit.

import { suggest } from '../scenario/suggest.js';

/** One place to write the value: a path whose `*` stands for every service. */
export type SweepTarget = { path: (string | '*')[]; onlyWhereSet: boolean };

/** The places a key writes to, or why it names no single scalar field. */
export type ResolvedSweep = { ok: true; targets: SweepTarget[] } | { ok: false; message: string; suggestion?: string };

/**
 * Resolves `key` against the schema's allowed-keys table (scenarioSchemas().keys: "" for the top,
 * "services[]", "services[].app", "vm.image" ...). Only fields that hold one value can be swept.
 */
export function resolveSweepKey(key: string, keys: Readonly<Record<string, readonly string[]>>): ResolvedSweep {
  const explicit = /^services\[(\d+|\*)\]\.(.+)$/.exec(key);
  if (explicit) {
    const rest = explicit[2]!.split('.');
    const check = checkLeaf('services[]', rest, keys);
    if (!check.ok) return check;
    return { ok: true, targets: [{ path: ['services', explicit[1] === '*' ? '*' : explicit[1]!, ...rest], onlyWhereSet: false }] };
  }
  const segments = key.split('.');
  const first = segments[0]!;
  const top = keys[''] ?? [];
  const service = keys['services[]'] ?? [];
  if (top.includes(first) && first !== 'services') {
    const check = checkLeaf('', segments, keys);
    if (!check.ok) return check;
    const targets: SweepTarget[] = [{ path: segments, onlyWhereSet: false }];
    // vm.* and container.* are defaults a service may override: set those overrides too.
    if (service.includes(first)) targets.push({ path: ['services', '*', ...segments], onlyWhereSet: true });
    return { ok: true, targets };
  }
  if (service.includes(first)) {
    const check = checkLeaf('services[]', segments, keys);
    if (!check.ok) return check;
    return { ok: true, targets: [{ path: ['services', '*', ...segments], onlyWhereSet: false }] };
  }
  const known = sweepableKeys(keys);
  const suggestion = suggest(key, known);
  return { ok: false, message: `unknown field "${key}"; sweepable fields: ${known.join(', ')}`, ...(suggestion === undefined ? {} : { suggestion }) };
}

/** Every short key that names one value: "concurrency", "host.cpus", "instances", "app.memory", "vm.memory" ... */
export function sweepableKeys(keys: Readonly<Record<string, readonly string[]>>): string[] {
  const out = new Set<string>();
  for (const [pattern, fields] of Object.entries(keys)) {
    const prefix = pattern === '' ? '' : pattern === 'services[]' ? '' : pattern.startsWith('services[].') ? `${pattern.slice('services[].'.length)}.` : `${pattern}.`;
    for (const field of fields) {
      const full = pattern === '' ? field : `${pattern}.${field}`;
      if (isContainer(full, keys)) continue;
      out.add(`${prefix}${field}`);
    }
  }
  return [...out].filter((key) => !key.includes('[]'));
}

function checkLeaf(base: string, segments: string[], keys: Readonly<Record<string, readonly string[]>>): ResolvedSweep {
  let pattern = base;
  for (const [i, segment] of segments.entries()) {
    const allowed = keys[pattern] ?? [];
    if (!allowed.includes(segment)) {
      const where = pattern === '' ? 'at the top of a scenario' : `in ${pattern.replaceAll('[]', '[N]')}`;
      const suggestion = suggest(segment, allowed);
      return {
        ok: false,
        message: `"${segments.slice(0, i + 1).join('.')}" is not a field ${where}; valid fields there: ${allowed.join(', ')}`,
        ...(suggestion === undefined ? {} : { suggestion: [...segments.slice(0, i), suggestion].join('.') }),
      };
    }
    pattern = pattern === '' ? segment : `${pattern}.${segment}`;
  }
  if (isContainer(pattern, keys)) {
    return { ok: false, message: `"${segments.join('.')}" holds more than one value; sweep one of its fields: ${(keys[pattern] ?? keys[`${pattern}[]`] ?? []).join(', ')}` };
  }
  return { ok: true, targets: [] };
}

/** A mapping or a list (which has its own entry in the keys table) rather than one value. */
function isContainer(pattern: string, keys: Readonly<Record<string, readonly string[]>>): boolean {
  return keys[pattern] !== undefined || keys[`${pattern}[]`] !== undefined || pattern === 'services' || pattern.endsWith('.files') || pattern.endsWith('.layers');
}
