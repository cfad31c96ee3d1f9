// Fleets: `{ template: SERVICE, count: N }` in `services` stands for N similar services. Each copy
// gets `{i}` (1..N) in its strings replaced, a name of its own ("svc-{i}", or "-i" appended), and
// its own top image layer (the top layer's id gets "-i" unless the template already uses {i} in a
// layer id): N services built from one base with their own app layer, as real fleets are.
// Expanded on the raw data, before the shape checks; problems inside a copy point at the template.

import type { Problem } from '../errors.js';
import { thousands } from './fields.js';
import { formatPath } from './issues.js';
import type { PathSegment, Positions } from './yaml-positions.js';

/** Most services one template may stand for. */
export const MAX_FLEET_COUNT = 10_000;

/** The data with every template expanded, where each service came from, and the template's own problems. */
export interface FleetExpansion {
  value: Record<string, unknown>;
  /** For each service after expansion: its entry in the file, and whether it is a template copy. */
  origins: { index: number; template: boolean }[];
  problems: Problem[];
}

/** Expands `services` entries that hold a template; anything else is left as it is. */
export function expandFleets(value: Record<string, unknown>, file: string, positions: Positions): FleetExpansion {
  const services = value.services;
  if (!Array.isArray(services) || !services.some(isTemplateEntry)) {
    return { value, origins: Array.isArray(services) ? services.map((_, index) => ({ index, template: false })) : [], problems: [] };
  }
  const problems: Problem[] = [];
  const report = (path: PathSegment[], message: string): void => {
    const line = positions.lineOf(path);
    problems.push({ file, path: formatPath(path), ...(line === undefined ? {} : { line }), message });
  };
  const expanded: unknown[] = [];
  const origins: FleetExpansion['origins'] = [];
  services.forEach((entry, index) => {
    if (!isTemplateEntry(entry)) {
      expanded.push(entry);
      origins.push({ index, template: false });
      return;
    }
    const { template, count, ...rest } = entry as Record<string, unknown>;
    for (const key of Object.keys(rest))
      report(['services', index, key], `unknown field "${key}" beside a template; a fleet entry has "template" (one service) and "count" only: put "${key}" inside the template`);
    if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_FLEET_COUNT) {
      report(
        ['services', index, 'count'],
        `${count === undefined ? 'is required' : `expected a whole number from 1 to ${thousands(MAX_FLEET_COUNT)}, got ${JSON.stringify(count)}`}: how many services the template stands for`,
      );
      return;
    }
    if (template === null || typeof template !== 'object' || Array.isArray(template)) {
      report(['services', index, 'template'], 'expected a mapping: one service (name, instances, app, image ...) with {i} where the copies differ');
      return;
    }
    for (let i = 1; i <= count; i++) {
      expanded.push(copyOf(template as Record<string, unknown>, i));
      origins.push({ index, template: true });
    }
  });
  return { value: { ...value, services: expanded }, origins, problems };
}

/** Positions that find a copy's fields in its template. */
export function fleetPositions(positions: Positions, origins: FleetExpansion['origins']): Positions {
  return {
    lineOf(path) {
      if (path[0] !== 'services' || typeof path[1] !== 'number') return positions.lineOf(path);
      const origin = origins[path[1]];
      if (origin === undefined) return positions.lineOf(path);
      return positions.lineOf(['services', origin.index, ...(origin.template ? ['template'] : []), ...path.slice(2)]);
    },
  };
}

/** Problems of the expanded data with the paths of the file: "services[7].app.memory" -> "services[2].template.app.memory", said once. */
export function fleetProblems(problems: readonly Problem[], origins: FleetExpansion['origins']): Problem[] {
  const seen = new Set<string>();
  const out: Problem[] = [];
  for (const problem of problems) {
    const path = problem.path.replace(/^services\[(\d+)\]/, (whole, n: string) => {
      const origin = origins[Number(n)];
      return origin === undefined ? whole : `services[${origin.index}]${origin.template ? '.template' : ''}`;
    });
    const mapped = { ...problem, path };
    const key = JSON.stringify([mapped.path, mapped.line, mapped.message.replace(/"[a-z0-9-]+-\d+"/g, '""')]);
    if (seen.has(key)) continue;
    seen.add(key);
    out.push(mapped);
  }
  return out;
}

function isTemplateEntry(entry: unknown): boolean {
  return entry !== null && typeof entry === 'object' && !Array.isArray(entry) && ('template' in entry || 'count' in entry);
}

/** Copy i of a template: {i} replaced, its own name and its own top layer. */
function copyOf(template: Record<string, unknown>, i: number): Record<string, unknown> {
  const copy = replaceIndex(structuredClone(template), i) as Record<string, unknown>;
  const name = template.name;
  if (typeof name === 'string' && !name.includes('{i}')) copy.name = `${name}-${i}`;
  const image = copy.image;
  const layers = image !== null && typeof image === 'object' && !Array.isArray(image) ? (image as Record<string, unknown>).layers : undefined;
  const templateLayers = (template.image as Record<string, unknown> | undefined)?.layers;
  const usesIndex =
    Array.isArray(templateLayers) && templateLayers.some((l) => typeof (l as Record<string, unknown> | null)?.id === 'string' && ((l as Record<string, unknown>).id as string).includes('{i}'));
  if (Array.isArray(layers) && layers.length > 0 && !usesIndex) {
    const top = layers[layers.length - 1];
    if (top !== null && typeof top === 'object' && typeof (top as Record<string, unknown>).id === 'string') {
      (top as Record<string, unknown>).id = `${(top as Record<string, unknown>).id as string}-${i}`;
    }
  }
  return copy;
}

function replaceIndex(value: unknown, i: number): unknown {
  if (typeof value === 'string') return value.replaceAll('{i}', String(i));
  if (Array.isArray(value)) return value.map((v) => replaceIndex(v, i));
  if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, replaceIndex(v, i)]));
  return value;
}
