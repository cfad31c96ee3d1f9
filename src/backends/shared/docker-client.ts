// Connecting to a Docker Engine API (dockerode, pinned API version) and the small pieces every
// backend that speaks it needs around its calls: a time limit, the error's reason and status, and
// whether the connection itself was lost. Each backend's engine wrapper keeps its own messages.

import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import Docker from 'dockerode';
import { PassThrough, type Readable } from 'node:stream';
import { EngineError } from '../../errors.js';
import type { ImageEngine, ImageLayers, ListedImage } from './docker-images.js';
import { DOCKER_API_VERSION, engineCandidates, noEngineMessage, type EngineLocation } from './docker-locate.js';

/** Finds the engine as the Docker CLI does (DOCKER_HOST, system socket, rootless socket) and checks that it answers. */
export async function connectDocker(env: NodeJS.ProcessEnv): Promise<{ location: EngineLocation; docker: Docker }> {
  const candidates = engineCandidates(env, homedir());
  const first = candidates[0]!;
  const location = candidates.find((candidate) => candidate.kind === 'remote' || existsSync(candidate.socketPath)) ?? first;
  if (location.kind === 'unix' && !existsSync(location.socketPath)) {
    throw new EngineError(noEngineMessage(first, 'no such socket'));
  }
  const docker = location.kind === 'unix' ? new Docker({ socketPath: location.socketPath, version: DOCKER_API_VERSION }) : new Docker({ version: DOCKER_API_VERSION });
  try {
    await withTimeout(docker.ping(), 10_000, 'ping');
  } catch (error) {
    throw new EngineError(noEngineMessage(location, reasonOf(error)), { cause: error });
  }
  return { location, docker };
}

/** Rejects with EngineError when `promise` takes longer than `ms`; `engine` names who did not answer. */
export function withTimeout<T>(promise: Promise<T>, ms: number, what: string, engine = 'Docker'): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new EngineError(`${engine} did not answer ${what} within ${Math.round(ms / 1000)} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** The socket is gone, refused or dropped mid-request: the daemon went away (stopped, crashed, restarting). */
export function connectionLost(error: unknown): boolean {
  const e = error as { code?: unknown; message?: unknown } | null;
  const code = typeof e?.code === 'string' ? e.code : '';
  return ['ENOENT', 'ECONNREFUSED', 'ECONNRESET', 'EPIPE'].includes(code) || /socket hang up/i.test(String(e?.message ?? ''));
}

/** The HTTP status of a refused API call, or undefined when the call never got an answer. */
export function statusOf(error: unknown): number | undefined {
  const status = (error as { statusCode?: unknown } | null)?.statusCode;
  return typeof status === 'number' ? status : undefined;
}

/** What the engine (or the socket) said, in a few words. */
export function reasonOf(error: unknown): string {
  const e = error as { code?: string; json?: { message?: string }; message?: string } | null;
  return e?.json?.message ?? (e?.code ? `${e.code}` : undefined) ?? e?.message ?? String(error);
}

/** Who serves the API, in the engine's messages: Docker's daemon, or Podman's compatible service. */
export interface EngineFlavour {
  /** "Docker" or "Podman": who refused or did not answer. */
  name: string;
  /** "the Docker engine", "the Podman service": who stopped answering. */
  server: string;
  /** Why the connection went: "the daemon is stopped or restarting". */
  gone: string;
  /** What to do about it, one clause. */
  restart: string;
}

export const DOCKER_FLAVOUR: EngineFlavour = {
  name: 'Docker',
  server: 'the Docker engine',
  gone: 'the daemon is stopped or restarting',
  restart: 'start it again (e.g. `sudo scripts/setup-engines.sh docker`); the next run or `isobench clean` removes what this one left',
};

/**
 * One Engine API call as every wrapper makes it: a time limit, a 404 read as undefined when asked
 * (removing what is already gone), and every failure an EngineError that says what went wrong: the
 * daemon went away (with how to start it again), refused the call (its HTTP status), or failed.
 */
export async function guardedCall<T>(endpoint: string, flavour: EngineFlavour, what: string, call: () => Promise<T>, timeoutMs: number, missingIsFine = false): Promise<T> {
  try {
    return await withTimeout(call(), timeoutMs, what, flavour.name);
  } catch (error) {
    if (missingIsFine && statusOf(error) === 404) return undefined as T;
    throw engineFailure(endpoint, flavour, what, error);
  }
}

/** The EngineError for a failed call to the engine at `endpoint` (an EngineError passes through). Pure. */
export function engineFailure(endpoint: string, flavour: EngineFlavour, what: string, error: unknown): EngineError {
  if (error instanceof EngineError) return error;
  const status = statusOf(error);
  const reason = reasonOf(error);
  if (status !== undefined) return new EngineError(`${flavour.name} refused ${what} (HTTP ${status}): ${reason}`, { cause: error });
  if (connectionLost(error)) {
    return new EngineError(`${flavour.server} at ${endpoint} stopped answering during ${what} (${reason}: ${flavour.gone}); ${flavour.restart}`, { cause: error });
  }
  return new EngineError(`${flavour.server} at ${endpoint} failed during ${what} (${reason}); the next run or \`isobench clean\` removes what this one left`, { cause: error });
}

/** An engine wrapper's guarded call: a time limit and the wrapper's own error messages. */
export type EngineCall = <T>(what: string, call: () => Promise<T>, timeoutMs?: number) => Promise<T>;

/** What building images needs of an engine (list, inspect, load), on any Docker API client. */
export function dockerImageEngine(docker: Docker, call: EngineCall): ImageEngine {
  return {
    async listImages(label: string): Promise<ListedImage[]> {
      const images = await call('list images', () => docker.listImages({ filters: { label: [label] } }));
      return images.map((image) => ({ id: image.Id, labels: image.Labels ?? {}, tags: image.RepoTags ?? [] }));
    },
    /** An image's layers and their sizes (inspect + history). */
    async imageLayers(ref: string): Promise<ImageLayers> {
      const image = docker.getImage(ref);
      const [inspect, history] = await call('inspect image', () => Promise.all([image.inspect(), image.history()]));
      const diffIds = inspect.RootFS?.Layers ?? [];
      // History is newest first and includes metadata-only steps (Size 0 and no layer, for loaded images
      // marked empty_layer); take the last diffIds.length entries that can carry a layer.
      const sizes = (history as { Size: number }[]).map((entry) => entry.Size).reverse();
      const layerBytes = sizes.length === diffIds.length ? sizes : diffIds.map(() => 0);
      return { id: inspect.Id, diffIds, layerBytes, sizeBytes: inspect.Size, labels: inspect.Config?.Labels ?? {} };
    },
    /** Loads a `docker save`-format archive; fails on an {"error": ...} line in the 200 response. */
    async loadImage(archive: Readable, timeoutMs: number): Promise<void> {
      await call(
        'load image',
        async () => {
          const response = await docker.loadImage(archive, { quiet: true });
          const failure = progressError(await readAll(response));
          if (failure !== undefined) throw new EngineError(`Docker could not load the image: ${failure}`);
        },
        timeoutMs,
      );
    },
  };
}

/** A multiplexed stdout+stderr API stream as one text stream, ended when the API stream ends, closes or fails. */
export function demuxed(docker: Docker, stream: NodeJS.ReadableStream): PassThrough {
  const output = new PassThrough();
  docker.modem.demuxStream(stream, output, output);
  const end = (): void => {
    output.end();
  };
  stream.on('end', end);
  stream.on('close', end);
  stream.on('error', end);
  return output;
}

/** The first {"error": ...} in a progress stream, if any (failures come inside an HTTP 200). Pure. */
export function progressError(text: string): string | undefined {
  for (const line of text.split(/\r?\n/)) {
    if (line.trim() === '') continue;
    try {
      const parsed = JSON.parse(line) as { error?: unknown; errorDetail?: { message?: unknown } };
      if (parsed.error !== undefined) return String(parsed.error);
      if (parsed.errorDetail?.message !== undefined) return String(parsed.errorDetail.message);
    } catch {
      // Not JSON: plain progress text.
    }
  }
  return undefined;
}

/** A whole response stream as text. */
export async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.isBuffer(chunk) ? chunk : Buffer.from(String(chunk)));
  return Buffer.concat(chunks).toString('utf8');
}
