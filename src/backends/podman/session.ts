// One Podman service per cleanup registry: started (or found) on a run's first use, reached through
// the shared Docker API machinery, and stopped when the registry runs, after the run's containers
// are removed through it. Should the service die mid-run, it is started again for that removal.

import { EngineError } from '../../errors.js';
import { CleanupStack } from '../shared/cleanup.js';
import { DockerEngine, type EngineFlavour } from '../shared/docker-api/engine.js';
import { RUN_LABEL } from '../shared/docker-api/reap.js';
import { NOT_INSTALLED, PodmanService, podmanVersion, serviceSocket } from './service.js';

/** A live service and the engine client on it. */
export interface PodmanSession {
  service: PodmanService;
  engine: DockerEngine;
  /** Where runDocker registers its undo actions; run by the outer registry before the service stops. */
  cleanup: CleanupStack;
}

/** How engine errors name Podman's service. */
export function podmanFlavour(service: PodmanService): EngineFlavour {
  return {
    name: 'Podman',
    server: 'the Podman service',
    gone: service.ours ? 'the `podman system service` isobench started has ended' : 'the service is stopped or restarting',
    restart: service.ours
      ? "isobench starts it again to remove this run's containers; the next run (or `isobench clean`) removes anything left"
      : 'start it again (e.g. `systemctl start podman.socket`); the next run removes what this one left',
  };
}

/**
 * Finds a running service or starts one (`label` names its temp folder); throws EngineError when
 * Podman is absent or will not start, or when ISOBENCH_PODMAN_SOCKET names a socket that does not
 * answer (the service asked for is not silently swapped for another).
 */
export async function openService(env: NodeJS.ProcessEnv, label: string): Promise<PodmanService> {
  const found = await PodmanService.find(env);
  if (found !== null) return found;
  const asked = serviceSocket(env);
  if (asked.from === 'ISOBENCH_PODMAN_SOCKET') {
    throw new EngineError(
      `no Podman service answers at ${asked.socketPath} (ISOBENCH_PODMAN_SOCKET): start one with \`podman system service --time=0 unix://${asked.socketPath}\`, or unset ISOBENCH_PODMAN_SOCKET to let isobench start its own`,
    );
  }
  if ((await podmanVersion()) === null) throw new EngineError(NOT_INSTALLED);
  return PodmanService.start(label);
}

/** The engine client on a service's socket. */
export async function connectService(service: PodmanService): Promise<DockerEngine> {
  try {
    return await DockerEngine.connect({ DOCKER_HOST: `unix://${service.socketPath}` }, podmanFlavour(service));
  } catch (error) {
    if (!(error instanceof EngineError)) throw error;
    throw new EngineError(`the Podman service at ${service.socketPath} (${service.from}) did not answer: ${error.message}`, { cause: error });
  }
}

const sessions = new WeakMap<CleanupStack, Promise<PodmanSession>>();

/** The session of this registry, opened on first use; its service stops when the registry runs. */
export function sessionFor(outer: CleanupStack, env: NodeJS.ProcessEnv, runId: string): Promise<PodmanSession> {
  let session = sessions.get(outer);
  if (session === undefined) {
    session = open(outer, env, runId);
    sessions.set(outer, session);
    session.catch(() => sessions.delete(outer));
  }
  return session;
}

async function open(outer: CleanupStack, env: NodeJS.ProcessEnv, runId: string): Promise<PodmanSession> {
  const service = await openService(env, runId);
  // Registered before anything runs on the service, so it runs after every container is removed.
  outer.defer(`stop ${service.ours ? 'the Podman service isobench started' : 'using the Podman service'} (${service.socketPath})`, async () => {
    sessions.delete(outer);
    await service.stop();
  });
  const engine = await connectService(service);
  const cleanup = new CleanupStack();
  outer.defer(`remove the Podman containers of run ${runId}`, async () => {
    if (service.ours && !(await service.answers())) await service.restart();
    await cleanup.run();
    if (cleanup.failures.length === 0) return;
    // A removal that failed while the service was down is fine once nothing of the run is left.
    const left = await engine.listContainers(`${RUN_LABEL}=${runId}`).catch(() => null);
    if (left !== null && left.length === 0) return;
    throw new Error(cleanup.failures.join('; '));
  });
  return { service, engine, cleanup };
}
