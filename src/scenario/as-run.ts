// The scenario a real backend actually runs: disk sizes scaled, instances capped, maybe another host.
// The model is evaluated on this same scenario when it is held against a measurement.

import type { HostSpec, Scenario, ServiceSpec } from './types.js';

export interface AsRunOptions {
  /** Multiplier for layer, image and file sizes (--real-scale). */
  scale: number;
  /** Cap on the total instances (--real-max-instances). */
  maxInstances: number;
  /** The host it really runs on, when the model should describe that one. */
  host?: HostSpec;
}

/** What changed between the scenario as written and as run, for the report's notes. */
export interface AsRunNotes {
  scaled: boolean;
  capped: boolean;
  notes: string[];
}

/** Scales disk sizes and caps instances (proportionally, at least one per service while the cap allows). */
export function scenarioAsRun(scenario: Scenario, options: AsRunOptions): { scenario: Scenario } & AsRunNotes {
  const scale = (bytes: number): number => Math.round(bytes * options.scale);
  const counts = capInstances(
    scenario.services.map((service) => service.instances),
    options.maxInstances,
  );
  const services: ServiceSpec[] = [];
  scenario.services.forEach((service, index) => {
    const instances = counts[index] ?? 0;
    if (instances === 0) return;
    services.push({
      ...service,
      instances,
      app: {
        ...service.app,
        files: service.app.files.map((file) => ({ ...file, sizeBytes: scale(file.sizeBytes), writeBytes: scale(file.writeBytes) })),
      },
      image: { ...service.image, layers: service.image.layers.map((layer) => ({ ...layer, sizeBytes: scale(layer.sizeBytes) })) },
      vm: { ...service.vm, image: { ...service.vm.image, sizeBytes: scale(service.vm.image.sizeBytes) } },
    });
  });
  const totalInstances = services.reduce((sum, service) => sum + service.instances, 0);
  const capped = totalInstances < scenario.totalInstances;
  const scaled = options.scale !== 1;
  const notes: string[] = [];
  if (scaled) notes.push(`disk sizes (layers, images, file sizes and writes) scaled by ${options.scale}`);
  if (capped) notes.push(`instances capped at ${totalInstances} of ${scenario.totalInstances} (--real-max-instances ${options.maxInstances})`);
  return {
    scenario: {
      ...scenario,
      host: options.host ?? scenario.host,
      services,
      totalInstances,
      concurrency: Math.min(scenario.concurrency, totalInstances),
    },
    scaled,
    capped,
    notes,
  };
}

/** Largest-remainder apportionment of `cap` over `counts`, never above a count, one each first. */
export function capInstances(counts: number[], cap: number): number[] {
  const total = counts.reduce((a, b) => a + b, 0);
  if (total <= cap) return [...counts];
  const result = counts.map(() => 0);
  let left = cap;
  for (let i = 0; i < counts.length && left > 0; i += 1) {
    if ((counts[i] ?? 0) > 0) {
      result[i] = 1;
      left -= 1;
    }
  }
  if (left <= 0) return result;
  const rest = counts.map((count, i) => Math.max(0, count - (result[i] ?? 0)));
  const restTotal = rest.reduce((a, b) => a + b, 0);
  const shares = rest.map((r) => (r * left) / restTotal);
  const floors = shares.map(Math.floor);
  let remaining = left - floors.reduce((a, b) => a + b, 0);
  const order = shares.map((share, i) => ({ i, frac: share - Math.floor(share) })).sort((a, b) => b.frac - a.frac || a.i - b.i);
  for (const { i } of order) {
    if (remaining === 0) break;
    if ((floors[i] ?? 0) < (rest[i] ?? 0)) {
      floors[i] = (floors[i] ?? 0) + 1;
      remaining -= 1;
    }
  }
  return result.map((r, i) => r + (floors[i] ?? 0));
}
