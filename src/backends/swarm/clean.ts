// `isobench clean` for the swarm backend: services and networks of runs that are over, the swarm
// itself when an isobench run initialised it and that run is gone (nothing else deploys there), and
// the isobench images on the other nodes named in ISOBENCH_SWARM_NODES (a killed multi-node run's;
// the manager's are --real docker's cache, which its own clean removes).

import type { CleanOptions, CleanReport } from '../types.js';
import { EngineError } from '../../errors.js';
import { IMAGE_LABEL } from '../shared/docker-images.js';
import { SwarmEngine } from './engine.js';
import { INIT_LABEL, initOwnerAlive, ownerAlive, RUN_LABEL } from './labels.js';
import { removeGwbridgeNetwork } from './mode.js';
import { NODES_ENV, parseEndpoints } from './nodes.js';
import { removeServices } from './services.js';

export async function cleanSwarm(engine: SwarmEngine, options: CleanOptions): Promise<CleanReport> {
  const info = await engine.info();
  const removed = { services: 0, networks: 0, swarms: 0 };
  const notes: string[] = [];
  const nodeImages = await cleanNodeImages(options.env ?? process.env, notes);
  if (info.localNodeState !== 'active') return { removed: nodeImages > 0 ? { 'node images': nodeImages } : {}, notes };
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
  return { removed: nodeImages > 0 ? { ...removed, 'node images': nodeImages } : removed, notes };
}

/** Removes the isobench images no container uses on each ISOBENCH_SWARM_NODES engine; returns how many. */
async function cleanNodeImages(env: NodeJS.ProcessEnv, notes: string[]): Promise<number> {
  let removed = 0;
  for (const endpoint of parseEndpoints(env[NODES_ENV])) {
    try {
      const node = await SwarmEngine.connect({ ...env, DOCKER_HOST: endpoint });
      for (const image of await node.listImages(IMAGE_LABEL)) {
        try {
          await node.removeImage(image.id);
          removed += 1;
        } catch (error) {
          if (!(error instanceof EngineError)) throw error;
          notes.push(`kept image ${image.id.slice(7, 19)} on ${endpoint}: ${error.message}`);
        }
      }
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      notes.push(`${NODES_ENV}: ${endpoint} skipped: ${error.message}`);
    }
  }
  return removed;
}
