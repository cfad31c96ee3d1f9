// What a swarm run may leave on the engine, looked up for the swarm engine tests: the swarm state,
// services and networks carrying the run's label, task containers, docker_gwbridge.

import { SwarmEngine } from '../../../src/backends/swarm/engine.js';
import { RUN_LABEL } from '../../../src/backends/swarm/labels.js';
import { GWBRIDGE } from '../../../src/backends/swarm/mode.js';

export interface SwarmLook {
  localNodeState: string;
  services: string[];
  networks: string[];
  containers: string[];
  gwbridge: boolean;
}

/** Everything of runs whose id starts with `runPrefix` (or of any run, for undefined), and the swarm state. */
export async function lookAtSwarm(runPrefix?: string): Promise<SwarmLook> {
  const engine = await SwarmEngine.connect();
  const info = await engine.info();
  const mine = (labels: Record<string, string>): boolean => runPrefix === undefined || (labels[RUN_LABEL] ?? '').startsWith(runPrefix);
  const active = info.localNodeState === 'active';
  return {
    localNodeState: info.localNodeState,
    services: active ? (await engine.listServices(RUN_LABEL)).filter((s) => mine(s.labels)).map((s) => s.name) : [],
    networks: (await engine.listNetworks(RUN_LABEL)).filter((n) => mine(n.labels)).map((n) => n.name),
    containers: (await engine.listContainers(RUN_LABEL)).filter((c) => mine(c.labels)).map((c) => c.name),
    gwbridge: (await engine.networksNamed(GWBRIDGE)).length > 0,
  };
}
