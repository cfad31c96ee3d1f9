// Removing services and waiting until their task containers are really gone: a service's removal
// returns at once, its containers go afterwards (SIGKILL stop signal, so within a second or so).

import { abortable } from '../shared/abort.js';
import type { SwarmEngine } from './engine.js';
import { SERVICE_ID_LABEL } from './labels.js';

/** How long to wait for the engine to remove a removed service's containers before removing them itself. */
const CONTAINERS_GONE_MS = 20_000;

/**
 * Removes the services, waits until none of their containers remains on the `nodes` engines (the
 * manager's alone by default; force-removes stragglers). Returns the services removed.
 */
export async function removeServices(engine: SwarmEngine, serviceIds: readonly string[], nodes: readonly SwarmEngine[] = [engine]): Promise<number> {
  if (serviceIds.length === 0) return 0;
  await Promise.all(serviceIds.map((id) => engine.removeService(id)));
  const never = new AbortController().signal;
  const until = performance.now() + CONTAINERS_GONE_MS;
  for (;;) {
    const left = (await Promise.all(nodes.flatMap((node) => serviceIds.map(async (id) => (await node.listContainers(`${SERVICE_ID_LABEL}=${id}`)).map((c) => ({ node, id: c.id })))))).flat();
    if (left.length === 0) return serviceIds.length;
    if (performance.now() > until) {
      await Promise.all(left.map((c) => c.node.removeContainer(c.id)));
      return serviceIds.length;
    }
    await pause(100, never);
  }
}

/** Waits `ms` on a timer that keeps the process alive (the shared sleep's does not: nothing else may be pending while polling the engine). */
function pause(ms: number, signal: AbortSignal): Promise<void> {
  return abortable(new Promise<void>((resolve) => setTimeout(resolve, ms)), signal);
}
