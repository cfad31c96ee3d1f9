// The plain-process baseline: fork/exec on the host, one install of the app's files shared by all,
// page-level copy-on-write memory, writes in place on the host filesystem.

import type { ProfileCatalog } from '../profiles/types.js';
import type { Scenario, ServiceSpec } from '../scenario/types.js';
import { appMemory, forkParams } from './app-memory.js';
import { processWriteCost } from './cow.js';
import { imageFetchPhases } from './fetch.js';
import { type Part, type PlatformPlan, type ServiceParts, uniqueById } from './plan.js';
import { appPhases, scriptHold, widthOf } from './phases.js';
import { formatBytes } from '../units/format.js';

/** Models the scenario as plain processes on the host. */
export function planProcess(scenario: Scenario, catalog: ProfileCatalog): PlatformPlan {
  const { common, process } = catalog;
  const layers = uniqueById(scenario.services.flatMap((service) => service.image.layers));
  const installBytes = layers.reduce((sum, layer) => sum + layer.sizeBytes, 0);
  const readRatio = common.imageReadRatio.value;
  const childWallMs = Math.max(0, process.forkExecMs.value - process.spawnSerialMs.value);
  const perInstance: ServiceParts[] = scenario.services.map((service) => ({
    service: service.name,
    instances: service.instances,
    parts: processMemory(service, catalog),
    uniqueBytes: appMemory(service.app, forkParams(catalog)).uniqueBytes,
  }));
  return {
    platform: 'process',
    profile: 'process',
    lead: scenario.cache === 'cold' ? imageFetchPhases('app packages', installBytes, scenario.host, common) : [],
    templates: scenario.services.map((service) => ({
      service: service.name,
      instances: service.instances,
      phases: [
        {
          label: 'fork/exec: the parent spawns (one child at a time)',
          ms: Math.min(process.spawnSerialMs.value, process.forkExecMs.value),
          resource: 'serial',
          queue: 'parent process',
          // The parent spawns on a CPU: its children's work competes with it.
          cpu: true,
          note: `${process.spawnSerialMs.source}; one launching process (a supervisor, a shell, the benchmark itself) forks its children one after another`,
        },
        {
          label: 'fork/exec: the child execs and starts',
          ms: childWallMs,
          resource: 'cpu',
          width: widthOf(process.childStartCpuMs.value, childWallMs),
          note: `fork/exec ${process.forkExecMs.value} ms (${process.forkExecMs.source}) less the parent's serialised part; ${process.childStartCpuMs.value} ms of CPU (${process.childStartCpuMs.source})`,
        },
        ...appPhases(service.app, catalog.common.memoryFillBytesPerSec.value, 1, forkParams(catalog), scriptHold(catalog.common)),
      ],
    })),
    memoryShared: [
      {
        label: 'page cache of the app files',
        bytes: Math.round(installBytes * readRatio),
        note: `one copy for every process: ${readRatio} x ${formatBytes(installBytes)} installed (${common.imageReadRatio.source})`,
      },
    ],
    memoryPerInstance: perInstance,
    memoryReservedPerInstance: perInstance,
    diskShared: [
      {
        label: 'app files installed once',
        bytes: installBytes,
        note: `the unique layers' content, installed on the host: ${layers.map((layer) => layer.id).join(', ') || 'none'}`,
      },
    ],
    diskPerInstance: scenario.services.map((service) => ({
      service: service.name,
      instances: service.instances,
      parts: service.app.files.map((file) => {
        const cost = processWriteCost(file, common.fsBlockBytes.value);
        return { label: file.path, bytes: cost.copiedBytes + cost.writtenBytes, note: cost.note };
      }),
    })),
    notes: ['processes share one install and the host kernel; there is no isolation of files or memory limits'],
  };
}

function processMemory(service: ServiceSpec, catalog: ProfileCatalog): Part[] {
  const { process } = catalog;
  return [...appOnHostMemory(service, catalog), { label: 'kernel (task, stack, mm)', bytes: process.perProcessKernelBytes.value, note: process.perProcessKernelBytes.source }];
}

/**
 * What an app costs on the host kernel, as a process or in a container: its pages and their page
 * tables, and, when it forks workers, what each worker writes (see app-memory.ts).
 */
export function appOnHostMemory(service: ServiceSpec, catalog: ProfileCatalog): Part[] {
  return appMemory(service.app, forkParams(catalog)).parts;
}
