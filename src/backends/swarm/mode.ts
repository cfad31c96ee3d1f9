// Swarm mode for a run: deploy into the swarm the engine is in, or initialise a single-node swarm on
// loopback and leave it afterwards (removing the docker_gwbridge network `swarm init` made), and
// nothing else is touched. A swarm an earlier isobench run initialised and never left (its process
// is gone) is taken over and left.

import { EngineError } from '../../errors.js';
import type { CleanupStack } from '../shared/cleanup.js';
import type { SwarmEngine, SwarmInfo } from './engine.js';
import { INIT_LABEL, initMarker, initOwnerAlive, ownerAlive, RUN_LABEL } from './labels.js';

export const GWBRIDGE = 'docker_gwbridge';

/** How the run found the swarm. */
export interface SwarmMode {
  /** True when this run initialised the swarm (and leaves it at cleanup). */
  initialised: boolean;
  nodeId: string;
  info: SwarmInfo;
}

/** Makes sure the engine is a swarm manager; registers the leave when this run initialised it. */
export async function ensureSwarm(engine: SwarmEngine, cleanup: CleanupStack, progress: (message: string) => void): Promise<SwarmMode> {
  const before = await engine.info();
  if (before.localNodeState === 'active') {
    if (!before.controlAvailable) {
      throw new EngineError(`the engine at ${before.endpoint} is a swarm worker: services can only be created on a manager (point DOCKER_HOST at one)`);
    }
    const marker = (await engine.nodeLabels(before.nodeId))[INIT_LABEL];
    if (marker === undefined || initOwnerAlive(marker)) return { initialised: false, nodeId: before.nodeId, info: before };
    // An isobench run initialised this swarm and ended without leaving it (killed, or its daemon
    // stopped): this run takes it over and leaves it afterwards, as that run would have.
    progress('swarm: taking over the single-node swarm a stopped isobench run initialised (left again afterwards)');
    cleanup.defer('leave the swarm a stopped isobench run initialised', async () => {
      await leaveOwnSwarm(engine, true, progress);
    });
    await engine.labelNode(before.nodeId, { [INIT_LABEL]: initMarker() });
    return { initialised: true, nodeId: before.nodeId, info: before };
  }
  if (before.localNodeState !== 'inactive') {
    throw new EngineError(`the engine at ${before.endpoint} is in swarm state "${before.localNodeState}": isobench deploys only into an active swarm or initialises one on an inactive engine`);
  }
  const gwbridgeBefore = (await engine.networksNamed(GWBRIDGE)).length > 0;
  progress('swarm: initialising a single-node swarm on 127.0.0.1 (left again afterwards)');
  await engine.swarmInit();
  cleanup.defer('leave the swarm isobench initialised', async () => {
    await leaveOwnSwarm(engine, !gwbridgeBefore, progress);
  });
  const info = await engine.info();
  await engine.labelNode(info.nodeId, { [INIT_LABEL]: initMarker() });
  return { initialised: true, nodeId: info.nodeId, info };
}

/**
 * Leaves the swarm this process initialised, unless another live isobench run deploys in it now
 * (then `isobench clean` leaves it once that run is over); removes docker_gwbridge when swarm init made it.
 */
export async function leaveOwnSwarm(engine: SwarmEngine, removeGwbridge: boolean, progress: (message: string) => void): Promise<boolean> {
  const others = (await engine.listServices(RUN_LABEL)).filter((s) => ownerAlive(s.labels));
  if (others.length > 0) {
    progress(`swarm: not leaving the swarm: ${others.length} service(s) of another live isobench run use it (\`isobench clean\` leaves it later)`);
    return false;
  }
  await engine.swarmLeave();
  if (removeGwbridge) await removeGwbridgeNetwork(engine);
  return true;
}

/**
 * Removes docker_gwbridge. The engine makes it asynchronously (its ingress sandbox may still be
 * coming up when `swarm leave` returns), so it is removed until it has stayed absent for 600 ms,
 * for up to 10 s.
 */
export async function removeGwbridgeNetwork(engine: SwarmEngine): Promise<void> {
  const until = performance.now() + 10_000;
  let absent = 0;
  while (absent < 3) {
    try {
      const found = await engine.networksNamed(GWBRIDGE);
      for (const network of found) await engine.removeNetwork(network.id);
      absent = found.length === 0 ? absent + 1 : 0;
    } catch (error) {
      if (performance.now() > until) throw error;
      absent = 0;
    }
    if (performance.now() > until) throw new EngineError(`${GWBRIDGE} came back for 10 s after \`swarm leave\`; remove it with \`docker network rm ${GWBRIDGE}\``);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
