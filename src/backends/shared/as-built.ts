// The scenario's layers as the image plan really builds them, for the model as run: a layer holds
// at least busybox (bottom layer) and the image files the app writes into (top layer), whatever
// size the scenario gives it, and isobench adds a layer where the scenario's cannot hold them. The
// model of what ran must count those bytes too, or every small scaled layer is a disk "miss".

import type { Scenario } from '../../scenario/types.js';
import { formatBytes } from '../../units/format.js';
import { needsForkApp } from './fork-app.js';
import { planImages, type HostBinary } from './image-plan.js';

/** What the plan needs to know of the host binaries it copies into images. */
export interface BuiltBinaries {
  busybox: HostBinary;
  /** Given when the backend puts fork-app into images (container engines, for a forking service). */
  forkApp?: HostBinary;
}

/** Each built image's layers at their built sizes (added layers included), and a note naming what changed. Pure. */
export function layersAsBuilt(scenario: Scenario, binaries: BuiltBinaries): { scenario: Scenario; notes: string[] } {
  // fork-app goes into the images only when a service forks (as docker-images.ts builds them).
  const forkApp = needsForkApp(scenario.services.map((service) => service.app)) ? binaries.forkApp : undefined;
  const plans = planImages(scenario.services, binaries.busybox, forkApp);
  const changed = new Map<string, string>();
  const services = scenario.services.map((service) => {
    const plan = plans.find((p) => p.service === service.name);
    if (plan === undefined) return service;
    const layers = plan.layers.map((layer) => {
      const sizeBytes = Math.max(layer.scenarioBytes, layer.contentBytes);
      if (sizeBytes !== layer.scenarioBytes) {
        changed.set(layer.id, layer.added ? `${layer.id} ${formatBytes(sizeBytes)} (added)` : `${layer.id} ${formatBytes(layer.scenarioBytes)} -> ${formatBytes(sizeBytes)}`);
      }
      return { id: layer.id, sizeBytes };
    });
    return { ...service, image: { ...service.image, layers } };
  });
  if (changed.size === 0) return { scenario, notes: [] };
  return {
    scenario: { ...scenario, services },
    notes: [`layers modeled as built (busybox in the bottom layer, the files the app writes into on top): ${[...changed.values()].join(', ')}`],
  };
}
