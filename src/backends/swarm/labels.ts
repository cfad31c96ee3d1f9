// The labels on everything the swarm backend creates (services, their containers, the run's network,
// the node when it initialised the swarm), and telling a live run from a dead one.

import { hostname } from 'node:os';
import { pidAlive } from '../shared/temp.js';

/** The id of the run that made a service, container or network. */
export const RUN_LABEL = 'isobench.run';
export const PID_LABEL = 'isobench.pid';
export const HOST_LABEL = 'isobench.hostname';
/** On the swarm node: "pid@host" of the run that initialised the swarm (it leaves it afterwards). */
export const INIT_LABEL = 'isobench.swarm-init';
/** Docker's own label on each task's container. */
export const SERVICE_ID_LABEL = 'com.docker.swarm.service.id';

/** The labels of everything this process makes for run `runId`. */
export function runLabels(runId: string): Record<string, string> {
  return { isobench: '1', [RUN_LABEL]: runId, [PID_LABEL]: String(process.pid), [HOST_LABEL]: hostname() };
}

/** True when the run that set these labels is still in progress here: same host, its process alive. */
export function ownerAlive(labels: Record<string, string>, isAlive: (pid: number) => boolean = pidAlive): boolean {
  const pid = Number(labels[PID_LABEL]);
  if (labels[HOST_LABEL] !== hostname() || !Number.isInteger(pid) || pid <= 0) return false;
  return isAlive(pid);
}

/** The INIT_LABEL value of this process. */
export function initMarker(): string {
  return `${process.pid}@${hostname()}`;
}

/** True when the process named by an INIT_LABEL value still runs here. */
export function initOwnerAlive(marker: string | undefined, isAlive: (pid: number) => boolean = pidAlive): boolean {
  const match = /^(\d+)@(.*)$/.exec(marker ?? '');
  if (match === null) return false;
  return match[2] === hostname() && isAlive(Number(match[1]));
}
