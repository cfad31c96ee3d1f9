// `isobench clean` for the swarm backend: services and networks of runs that are over, and the
// swarm itself when an isobench run initialised it and that run is gone (nothing else deploys there).

import type { CleanOptions, CleanReport } from '../types.js';
import type { SwarmEngine } from './engine.js';
import { INIT_LABEL, initOwnerAlive, ownerAlive, RUN_LABEL } from './labels.js';
import { removeGwbridgeNetwork } from './mode.js';
import { removeServices } from './services.js';

export async function cleanSwarm(engine: SwarmEngine, options: CleanOptions): Promise<CleanReport> {
  const info = await engine.info();
  const removed = { services: 0, networks: 0, swarms: 0 };
  const notes: string[] = [];
  if (info.localNodeState !== 'active') return { removed: {}, notes };
  if (!info.controlAvailable) return { removed: {}, notes: [`swarm skipped: the engine at ${info.endpoint} is a swarm worker (clean on a manager)`] };
  const services = await engine.listServices(RUN_LABEL);
  const doomed = services.filter((s) => options.includeLive || !ownerAlive(s.labels));
  removed.services = await removeServices(
    engine,
    doomed.map((s) => s.id),
  );
  const liveRuns = new Set(services.filter((s) => !doomed.includes(s)).map((s) => s.labels[RUN_LABEL]));
  if (liveRuns.size > 0) notes.push(`kept the services of ${liveRuns.size} swarm run(s) still in progress`);
  for (const network of await engine.listNetworks(RUN_LABEL)) {
    if (!options.includeLive && ownerAlive(network.labels)) continue;
    await engine.removeNetwork(network.id);
    removed.networks += 1;
  }
  const marker = (await engine.nodeLabels(info.nodeId))[INIT_LABEL];
  if (marker !== undefined && (options.includeLive || !initOwnerAlive(marker))) {
    if ((await engine.listServices()).length === 0) {
      await engine.swarmLeave();
      await removeGwbridgeNetwork(engine);
      removed.swarms = 1;
      notes.push('left the single-node swarm an isobench run had initialised');
    } else {
      notes.push('kept the swarm an isobench run initialised: other services run in it');
    }
  }
  return { removed, notes };
}
