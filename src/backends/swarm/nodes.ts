// The nodes a swarm run deploys on. By default every task is pinned to the manager, the one engine
// isobench talks to and loads the images into. With ISOBENCH_SWARM_NODES naming the Docker API
// endpoints of other nodes, each endpoint that answers and is a node of this swarm gets the images
// too, the pin is dropped and Swarm places the tasks (spread, its only strategy); nodes whose engine
// isobench cannot reach are excluded (node.id!=X), as they would not have the images.
//
// Overlay networks put one VXLAN device per network on each node, created in the daemon's network
// namespace: daemons sharing one kernel (scripts/swarm-nodes.sh) all use the host's, and the second
// one fails ("error creating vxlan interface: file exists", measured here). Tasks spread over such
// daemons therefore run with no network: on a daemon started with --bridge=none that is loopback
// only, as --network none (checked: a daemon that has a "bridge" network is refused).
// ISOBENCH_SWARM_NETWORK=none runs tasks without a network on any set of nodes (to compare a single
// node with several on equal terms, or to leave the overlay's cost out); =overlay insists on one.

import { EngineError } from '../../errors.js';
import { SwarmEngine } from './engine.js';
import type { SwarmMode } from './mode.js';

export const NODES_ENV = 'ISOBENCH_SWARM_NODES';
export const NETWORK_ENV = 'ISOBENCH_SWARM_NETWORK';

/** One node isobench deploys on, with the engine that runs its tasks. */
export interface SwarmNode {
  id: string;
  engine: SwarmEngine;
  /** unix:///... or tcp://..., for notes. */
  endpoint: string;
  manager: boolean;
  /** Its processes are visible here: a unix socket of an engine on this machine's kernel. */
  local: boolean;
}

/** Where the run's tasks go, and what that means for their network. */
export interface NodePlan {
  /** The manager first, then every reachable node of the swarm named in ISOBENCH_SWARM_NODES. */
  nodes: SwarmNode[];
  /** True when Swarm places the tasks over `nodes`; false when they are pinned to the manager. */
  spread: boolean;
  constraints: string[];
  /** 'none' when two or more of the nodes share this machine's kernel (no overlay between them). */
  network: 'overlay' | 'none';
  notes: string[];
}

/** The endpoints in ISOBENCH_SWARM_NODES (comma or space separated), each once. Pure. */
export function parseEndpoints(value: string | undefined): string[] {
  return [
    ...new Set(
      (value ?? '')
        .split(/[\s,]+/)
        .map((e) => e.trim())
        .filter((e) => e !== ''),
    ),
  ];
}

/**
 * The placement constraints: pinned to the manager when no other node is reachable, else every
 * node of the swarm that is not reachable is excluded. Pure.
 */
export function constraintsFor(managerId: string, swarmNodeIds: readonly string[], reachable: readonly string[]): { spread: boolean; constraints: string[] } {
  const others = reachable.filter((id) => id !== managerId);
  if (others.length === 0) return { spread: false, constraints: [`node.id==${managerId}`] };
  const usable = new Set([managerId, ...others]);
  return { spread: true, constraints: swarmNodeIds.filter((id) => !usable.has(id)).map((id) => `node.id!=${id}`) };
}

/**
 * The tasks' network: as ISOBENCH_SWARM_NETWORK asks, else 'none' when at least two of the nodes run
 * on this machine's kernel (their VXLAN devices would collide), else 'overlay'. Pure; throws
 * EngineError for a value it does not know or an overlay that cannot work.
 */
export function networkFor(nodes: readonly { local: boolean }[], asked: string | undefined): 'overlay' | 'none' {
  const shared = nodes.filter((n) => n.local).length >= 2;
  const wanted = (asked ?? '').trim();
  if (wanted === '') return shared ? 'none' : 'overlay';
  if (wanted !== 'none' && wanted !== 'overlay') throw new EngineError(`${NETWORK_ENV} must be "none" or "overlay", not "${wanted}"`);
  if (wanted === 'overlay' && shared) {
    throw new EngineError(
      `${NETWORK_ENV}=overlay, but ${nodes.filter((n) => n.local).length} of the nodes are Docker daemons on this one kernel: their VXLAN devices for the overlay collide ("error creating vxlan interface: file exists"); leave ${NETWORK_ENV} unset or use none`,
    );
  }
  return wanted;
}

/** Connects to the nodes named in `env` and decides where the tasks go. */
export async function planNodes(manager: SwarmEngine, mode: SwarmMode, env: NodeJS.ProcessEnv, localKernel: string, progress: (message: string) => void): Promise<NodePlan> {
  const isLocal = (engine: SwarmEngine, kernel: string): boolean => engine.location.kind === 'unix' && kernel === localKernel;
  const nodes: SwarmNode[] = [{ id: mode.nodeId, engine: manager, endpoint: mode.info.endpoint, manager: true, local: isLocal(manager, mode.info.kernel) }];
  const notes: string[] = [];
  const endpoints = parseEndpoints(env[NODES_ENV]);
  const swarmNodes = endpoints.length === 0 ? [] : await manager.listNodes();
  for (const endpoint of endpoints) {
    try {
      const engine = await SwarmEngine.connect({ ...env, DOCKER_HOST: endpoint });
      const info = await engine.info();
      if (info.localNodeState !== 'active' || !swarmNodes.some((n) => n.id === info.nodeId)) {
        notes.push(`${NODES_ENV}: ${endpoint} is not a node of this swarm (swarm state ${info.localNodeState}): not used`);
        continue;
      }
      if (nodes.some((n) => n.id === info.nodeId)) continue;
      nodes.push({ id: info.nodeId, engine, endpoint: info.endpoint, manager: false, local: isLocal(engine, info.kernel) });
    } catch (error) {
      if (!(error instanceof EngineError)) throw error;
      notes.push(`${NODES_ENV}: ${endpoint} did not answer (${error.message}): not used`);
    }
  }
  const placement = constraintsFor(
    mode.nodeId,
    swarmNodes.map((n) => n.id),
    nodes.map((n) => n.id),
  );
  const network = networkFor(placement.spread ? nodes : nodes.slice(0, 1), env[NETWORK_ENV]);
  if (network === 'none') {
    for (const node of placement.spread ? nodes : nodes.slice(0, 1)) {
      if ((await node.engine.networksNamed('bridge')).length > 0) {
        throw new EngineError(
          `tasks without a network (${placement.spread && networkFor(nodes, undefined) === 'none' ? 'several Docker daemons on one kernel: their overlay VXLAN devices would collide' : `${NETWORK_ENV}=none`}) would join the "bridge" network of the daemon at ${node.endpoint}: start it with --bridge=none (as scripts/swarm-nodes.sh does)${placement.spread ? `, or leave ${NODES_ENV} unset` : ''}`,
        );
      }
    }
  }
  if (!placement.spread) {
    return {
      nodes: nodes.slice(0, 1),
      ...placement,
      network,
      notes: [
        ...notes,
        `tasks pinned to the manager (node.id==${mode.nodeId.slice(0, 12)}), where the images were loaded${endpoints.length === 0 ? `: set ${NODES_ENV} to the Docker endpoints of other nodes to spread them` : ''}`,
      ],
    };
  }
  const unreachable = placement.constraints.length;
  progress(`swarm: ${nodes.length} node(s) reachable, Swarm places the tasks${unreachable > 0 ? ` (${unreachable} node(s) without a reachable engine excluded)` : ''}`);
  return {
    nodes,
    ...placement,
    network,
    notes: [
      ...notes,
      `tasks placed by Swarm (spread) over ${nodes.length} node(s) whose engines isobench reaches: ${nodes.map((n) => `${n.id.slice(0, 12)} at ${n.endpoint}${n.manager ? ' (manager)' : ''}`).join(', ')}; the images were loaded on each${unreachable > 0 ? `; ${unreachable} other node(s) excluded (node.id!=...): isobench cannot load images there` : ''}`,
    ],
  };
}
