// Calibration figures as model parameter overrides, keyed by the catalog's dotted paths. Pure.

import { builtinCatalog, getParam } from '../profiles/catalog.js';
import type { Param } from '../profiles/param.js';
import type { DockerCalibration } from './measure-docker.js';
import type { ProcessCalibration } from './measure-process.js';

/** Where the figures were measured, e.g. "vm 2026-11-28". */
export interface CalibrationOrigin {
  host: string;
  date: string;
}

/**
 * The overrides: process fork/exec and per-process memory; for the engine's runtime profile
 * (docker-runc or crun) create, its serial part, per-layer, start, runtime (exec to first line),
 * shim, per-container memory and the daemon. (Load and copy-up rates go in the profile's host record:
 * no model parameter stands for them, and a local `docker load` is not a registry pull.)
 */
export function toOverrides(
  origin: CalibrationOrigin,
  runtime: string,
  docker: DockerCalibration | null,
  processes: ProcessCalibration | null,
  cpus: number,
): Record<string, Param> {
  const source = (how: string): string => `calibrated on ${origin.host} ${origin.date}: ${how}`;
  const out: Record<string, Param> = {};
  const set = (path: string, value: number, unit: Param['unit'], how: string): void => {
    if (!Number.isFinite(value) || value < 0) return;
    out[path] = { value: round(value, unit), unit, source: source(how) };
  };
  if (processes !== null) {
    set('process.forkExecMs', processes.forkExecMs, 'ms', `median spawn -> first line of busybox sh, ${processes.samples} starts`);
    set('process.perProcessKernelBytes', processes.idleProcessBytes, 'bytes', 'PSS of an idle app process group (busybox sh + sleep, no app memory)');
  }
  if (docker !== null) {
    const r = `runtimes.${runtime}`;
    const n = docker.samples;
    // Model: k creates at once take (create - serial) x max(1, k / cpus) + k x serial; solve for serial.
    const f = Math.max(1, docker.concurrent / cpus);
    const serial = docker.concurrent > f ? (docker.concurrentCreateWallMs - docker.createMs * f) / (docker.concurrent - f) : 0;
    const createMs = docker.createMs - docker.perLayerMs;
    const serialMs = Math.min(createMs, Math.max(0, serial));
    // The app's first line often arrives before the start request returns: start-to-ready is one span.
    const startToReady = docker.startMs + docker.execMs;
    const runtimeMs = Math.max(0, docker.execMs);
    set(`${r}.createMs`, createMs, 'ms', `median create request of a 1-layer image (${n} starts), less one layer's cost`);
    set(`${r}.createSerialMs`, serialMs, 'ms', `${docker.concurrent} concurrent creates took ${Math.round(docker.concurrentCreateWallMs)} ms on ${cpus} cpus; solved for the serial part (at most createMs)`);
    set(`${r}.layerSetupMsPerLayer`, docker.perLayerMs, 'ms', `(create + start of an 8-layer image - of a 1-layer image) / 7, medians of ${n}`);
    set(`${r}.startMs`, startToReady - runtimeMs, 'ms', `median start request (${Math.round(docker.startMs)} ms: shim, runc create + start) to the app's first line, less runtimeMs; ${n} starts`);
    set(`${r}.runtimeMs`, runtimeMs, 'ms', `median start returned -> first line of busybox sh (${Math.round(docker.execMs)} ms; 0 when the line came first), ${n} starts`);
    set(`${r}.shimMemoryBytes`, docker.shimPssBytes, 'bytes', 'median PSS of containerd-shim-runc-v2 per container');
    set(`${r}.perContainerKernelBytes`, docker.idleContainerBytes, 'bytes', 'median Docker CLI memory of an idle container (cgroup usage - inactive file; its sh + sleep and kernel charges)');
    if (docker.daemonPssBytes !== null) set(`${r}.daemonMemoryBytes`, docker.daemonPssBytes, 'bytes', 'PSS of dockerd + containerd with containers running');
  }
  return validOnly(out);
}

/** Keeps overrides whose path and unit exist in the built-in catalog (the profile loader rejects others). */
function validOnly(overrides: Record<string, Param>): Record<string, Param> {
  const catalog = builtinCatalog();
  return Object.fromEntries(Object.entries(overrides).filter(([path, param]) => getParam(catalog, path)?.unit === param.unit));
}

function round(value: number, unit: Param['unit']): number {
  return unit === 'ms' ? Math.round(value * 100) / 100 : Math.round(value);
}
