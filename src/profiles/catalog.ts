// The built-in catalog of profiles, and how a calibrated host profile overrides single parameters.

import { HOST_PRESETS } from './hosts.js';
import { HYPERVISORS } from './hypervisors.js';
import type { Param } from './param.js';
import { COMMON, PROCESS } from './process.js';
import { RUNTIMES } from './runtimes.js';
import type { ProfileCatalog } from './types.js';

/** The presets shipped with isobench, every value with its source. */
export function builtinCatalog(): ProfileCatalog {
  return structuredClone({
    source: 'built-in',
    common: COMMON,
    process: PROCESS,
    runtimes: RUNTIMES,
    hypervisors: HYPERVISORS,
    hosts: HOST_PRESETS,
  });
}

/** Every overridable parameter by dotted path, e.g. "runtimes.docker-runc.createMs". */
export function paramPaths(catalog: ProfileCatalog): string[] {
  const paths: string[] = [];
  const walk = (node: unknown, prefix: string): void => {
    if (isParam(node)) {
      paths.push(prefix);
      return;
    }
    if (node !== null && typeof node === 'object') {
      for (const [key, child] of Object.entries(node)) walk(child, prefix === '' ? key : `${prefix}.${key}`);
    }
  };
  const { source: _source, hosts: _hosts, ...params } = catalog;
  walk(params, '');
  return paths;
}

/** The Param at a dotted path, or undefined. Keys may contain dashes but not dots. */
export function getParam(catalog: ProfileCatalog, path: string): Param | undefined {
  let node: unknown = catalog;
  for (const key of path.split('.')) {
    if (node === null || typeof node !== 'object' || !Object.hasOwn(node, key)) return undefined;
    node = (node as Record<string, unknown>)[key];
  }
  return isParam(node) ? node : undefined;
}

/** A copy of the catalog with the given parameters replaced (paths must exist: see paramPaths). */
export function withOverrides(catalog: ProfileCatalog, overrides: Record<string, Param>, source: string): ProfileCatalog {
  const next = structuredClone(catalog);
  next.source = source;
  for (const [path, value] of Object.entries(overrides)) {
    const target = getParam(next, path);
    if (target === undefined) throw new Error(`no model parameter at ${path}`);
    Object.assign(target, value);
  }
  return next;
}

function isParam(node: unknown): node is Param {
  return node !== null && typeof node === 'object' && typeof (node as Param).value === 'number' && typeof (node as Param).source === 'string' && typeof (node as Param).unit === 'string';
}
