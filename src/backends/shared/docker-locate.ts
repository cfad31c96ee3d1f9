// Where the Docker engine answers, found as the Docker tools find it.

import { join } from 'node:path';

/** The Engine API version isobench speaks (Docker 20.10 and later answer it). */
export const DOCKER_API_VERSION = 'v1.41';

export type EngineLocation =
  | { kind: 'unix'; socketPath: string; from: string }
  /** tcp:// and ssh:// are handed to docker-modem, which reads DOCKER_HOST, DOCKER_TLS_VERIFY and DOCKER_CERT_PATH itself. */
  | { kind: 'remote'; url: string; from: string };

/**
 * Socket candidates in the order the Docker CLI tries them: DOCKER_HOST, else the system socket,
 * else the rootless socket under $XDG_RUNTIME_DIR, else Docker Desktop's per-user socket.
 * Pure: the caller checks which candidate exists.
 */
export function engineCandidates(env: NodeJS.ProcessEnv, home: string): EngineLocation[] {
  const dockerHost = env.DOCKER_HOST?.trim();
  if (dockerHost !== undefined && dockerHost !== '') {
    if (dockerHost.startsWith('unix://')) {
      return [{ kind: 'unix', socketPath: dockerHost.slice('unix://'.length) || '/var/run/docker.sock', from: 'DOCKER_HOST' }];
    }
    return [{ kind: 'remote', url: dockerHost, from: 'DOCKER_HOST' }];
  }
  const candidates: EngineLocation[] = [{ kind: 'unix', socketPath: '/var/run/docker.sock', from: 'default socket' }];
  if (env.XDG_RUNTIME_DIR) {
    candidates.push({ kind: 'unix', socketPath: join(env.XDG_RUNTIME_DIR, 'docker.sock'), from: 'rootless socket ($XDG_RUNTIME_DIR)' });
  }
  candidates.push({ kind: 'unix', socketPath: join(home, '.docker', 'run', 'docker.sock'), from: 'Docker Desktop user socket' });
  return candidates;
}

/** "unix:///var/run/docker.sock" or the DOCKER_HOST URL, for messages and the report. */
export function describeLocation(location: EngineLocation): string {
  return location.kind === 'unix' ? `unix://${location.socketPath}` : location.url;
}

/** The one sentence a user needs when no engine answers. */
export function noEngineMessage(location: EngineLocation, reason: string): string {
  const where = location.kind === 'unix' ? location.socketPath : location.url;
  return `No Docker engine answers at ${where} (${reason}): start one with \`sudo scripts/setup-engines.sh docker\` ` + 'or point DOCKER_HOST at a running engine.';
}
