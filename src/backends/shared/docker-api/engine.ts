// A small typed wrapper around dockerode: the only file that calls the Docker Engine API. Every call
// has a time limit and turns connection failures into EngineError.

import { readFile } from 'node:fs/promises';
import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import { connectDocker, demuxed, dockerImageEngine, guardedCall, statusOf, DOCKER_FLAVOUR, type EngineFlavour } from '../docker-client.js';
import { DOCKER_API_VERSION, describeLocation, type EngineLocation } from '../docker-locate.js';
import type { ImageEngine, ImageLayers, ListedImage } from '../docker-images.js';

export type { ImageLayers, ListedImage } from '../docker-images.js';

/** What isobench records about the engine (report environment and result notes). */
export interface EngineInfo {
  endpoint: string;
  engineVersion: string;
  apiVersion: string;
  pinnedApiVersion: string;
  storageDriver: string;
  /** The containerd image store (snapshotters) instead of the classic graph drivers. */
  containerdImageStore: boolean;
  cgroupVersion: string;
  cgroupDriver: string;
  kernel: string;
  operatingSystem: string;
  defaultRuntime: string;
  /** The runtimes registered with the engine, space-separated ("crun runc runsc"). */
  runtimes: string;
  rootless: boolean;
  /** Containers run inside a VM (Docker Desktop, colima ...): skews any container-vs-VM comparison. */
  engineInVm: boolean;
  /** The engine's processes are visible in this machine's /proc (shim and daemon memory measurable). */
  local: boolean;
}

/** The container settings isobench uses: no network, no privileges, memory and pids limits. */
export interface ContainerSpec {
  image: string;
  command: string[];
  labels: Record<string, string>;
  memoryLimitBytes: number;
  pidsLimit: number;
  /** Size of the /dev/shm tmpfs (the app's fifo lives there, not in the image). */
  shmBytes: number;
  /** The OCI runtime (HostConfig.Runtime); absent: the engine's default. */
  runtime?: string;
  /** Resource limits (HostConfig.Ulimits): Podman's defaults exceed some hosts' hard limits. */
  ulimits?: { Name: string; Soft: number; Hard: number }[];
}

export interface ContainerState {
  running: boolean;
  oomKilled: boolean;
  exitCode: number;
  pid: number;
  /** Bytes of the writable layer (inspect with size: true only). */
  sizeRwBytes: number | null;
  /** overlay2's upper directory on the engine's host, when the driver reports one. */
  upperDir: string | null;
}

/** The cgroup's raw memory figures, as the daemon reads them. */
export interface ContainerMemory {
  /** Null when the daemon did not report it (e.g. a stopped container, or no memory cgroup). */
  usageBytes: number | null;
  limitBytes: number | null;
  /** memory.stat as reported (cgroup v1 total_* keys, or v2 keys). */
  stat: Record<string, number>;
}

export interface ListedContainer {
  id: string;
  labels: Record<string, string>;
}

export { DOCKER_FLAVOUR, type EngineFlavour } from '../docker-client.js';

/** Default limit for one API call; image loads get their own, longer one. */
const CALL_TIMEOUT_MS = 60_000;

/** The engine as isobench sees it. */
export class DockerEngine {
  readonly location: EngineLocation;
  readonly flavour: EngineFlavour;
  readonly #docker: Docker;

  readonly #images: ImageEngine;

  private constructor(location: EngineLocation, docker: Docker, flavour: EngineFlavour) {
    this.location = location;
    this.flavour = flavour;
    this.#docker = docker;
    this.#images = dockerImageEngine(docker, (what, call, timeoutMs) => this.#call(what, call, timeoutMs));
  }

  /**
   * Finds the engine (DOCKER_HOST, system socket, rootless socket) and checks that it answers.
   * Podman's compatible service is reached with DOCKER_HOST=unix://SOCKET and its own flavour.
   */
  static async connect(env: NodeJS.ProcessEnv = process.env, flavour: EngineFlavour = DOCKER_FLAVOUR): Promise<DockerEngine> {
    const { location, docker } = await connectDocker(env);
    return new DockerEngine(location, docker, flavour);
  }

  /** Engine facts for the report. */
  async info(): Promise<EngineInfo> {
    const [info, version] = await this.#call('info', () => Promise.all([this.#docker.info(), this.#docker.version()]));
    const driverStatus: string[][] = Array.isArray(info.DriverStatus) ? info.DriverStatus : [];
    const os = String(info.OperatingSystem ?? '');
    const kernel = String(info.KernelVersion ?? '');
    const engineInVm = /docker desktop/i.test(os) || /linuxkit|microsoft|wsl2/i.test(kernel) || info.Name === 'docker-desktop' || process.platform !== 'linux';
    const securityOptions: string[] = Array.isArray(info.SecurityOptions) ? info.SecurityOptions : [];
    return {
      endpoint: describeLocation(this.location),
      engineVersion: String(version.Version),
      apiVersion: String(version.ApiVersion),
      pinnedApiVersion: DOCKER_API_VERSION,
      storageDriver: String(info.Driver ?? ''),
      containerdImageStore: driverStatus.some(([key, value]) => key === 'driver-type' && String(value).includes('containerd.snapshotter')),
      cgroupVersion: String(info.CgroupVersion ?? '1'),
      cgroupDriver: String(info.CgroupDriver ?? ''),
      kernel,
      operatingSystem: os,
      defaultRuntime: String(info.DefaultRuntime ?? ''),
      runtimes: Object.keys((info.Runtimes as Record<string, unknown> | undefined) ?? {})
        .sort()
        .join(' '),
      rootless: securityOptions.some((option) => option.includes('name=rootless')),
      engineInVm,
      local: this.location.kind === 'unix' && !engineInVm && kernel === (await localKernel()),
    };
  }

  /** Images carrying a label (e.g. "isobench=1" or "isobench.key=abc"). */
  listImages(label: string): Promise<ListedImage[]> {
    return this.#images.listImages(label);
  }

  /** Loads a `docker save`-format archive; fails on an {"error": ...} line in the 200 response. */
  loadImage(archive: Readable, timeoutMs: number): Promise<void> {
    return this.#images.loadImage(archive, timeoutMs);
  }

  /** An image's layers and their sizes (inspect + history). */
  imageLayers(ref: string): Promise<ImageLayers> {
    return this.#images.imageLayers(ref);
  }

  /** Removes an image; without `force`, one in use is kept (returns false). A missing one counts as removed. */
  async removeImage(id: string, force: boolean): Promise<boolean> {
    try {
      await this.#call('remove image', () => this.#docker.getImage(id).remove({ force, noprune: false }), CALL_TIMEOUT_MS, true);
      return true;
    } catch (error) {
      if (!force && statusOf((error as { cause?: unknown }).cause) === 409) return false;
      throw error;
    }
  }

  /** Creates a container and returns its id. */
  async createContainer(spec: ContainerSpec): Promise<string> {
    const container = await this.#call('create container', () =>
      this.#docker.createContainer({
        Image: spec.image,
        Cmd: spec.command,
        Entrypoint: [],
        Labels: spec.labels,
        Tty: false,
        AttachStdout: true,
        AttachStderr: true,
        NetworkDisabled: true,
        HostConfig: {
          NetworkMode: 'none',
          Memory: spec.memoryLimitBytes,
          MemorySwap: spec.memoryLimitBytes,
          PidsLimit: spec.pidsLimit,
          ShmSize: spec.shmBytes,
          Privileged: false,
          CapDrop: ['ALL'],
          SecurityOpt: ['no-new-privileges'],
          AutoRemove: false,
          LogConfig: { Type: 'none', Config: {} },
          ...(spec.runtime === undefined ? {} : { Runtime: spec.runtime }),
          ...(spec.ulimits === undefined ? {} : { Ulimits: spec.ulimits }),
        },
      }),
    );
    return container.id;
  }

  /** Attaches to stdout+stderr (before start, so no line is missed) and returns them as one text stream. */
  async attach(id: string): Promise<Readable> {
    const stream = await this.#call('attach', () => this.#docker.getContainer(id).attach({ stream: true, stdout: true, stderr: true, logs: false }));
    return demuxed(this.#docker, stream);
  }

  async start(id: string): Promise<void> {
    await this.#call('start container', () => this.#docker.getContainer(id).start());
  }

  /** State of a container; with `size`, the writable layer's bytes too (walks the layer: keep out of timings). */
  async inspect(id: string, size = false): Promise<ContainerState> {
    const info = await this.#call('inspect container', () => this.#docker.getContainer(id).inspect({ size } as Docker.ContainerInspectOptions));
    const sizeRw = (info as { SizeRw?: number }).SizeRw;
    return {
      running: info.State.Running,
      oomKilled: info.State.OOMKilled,
      exitCode: info.State.ExitCode,
      pid: info.State.Pid,
      sizeRwBytes: size ? (sizeRw ?? null) : null,
      upperDir: (info.GraphDriver?.Data as { UpperDir?: string } | undefined)?.UpperDir ?? null,
    };
  }

  /** One immediate memory sample of a running container (stats one-shot). */
  async memory(id: string): Promise<ContainerMemory> {
    const stats = await this.#call('container stats', () => this.#docker.getContainer(id).stats({ stream: false, 'one-shot': true }));
    const memory = stats.memory_stats as { usage?: number; limit?: number; stats?: Record<string, number> };
    return { usageBytes: memory.usage ?? null, limitBytes: memory.limit ?? null, stat: memory.stats ?? {} };
  }

  /** Removes a container and its anonymous volumes, killing it if it runs. A missing one is fine. */
  async removeContainer(id: string): Promise<void> {
    await this.#call('remove container', () => this.#docker.getContainer(id).remove({ force: true, v: true }), CALL_TIMEOUT_MS, true);
  }

  /** Containers (running or not) carrying a label ("isobench.run" or "isobench.run=ID"). */
  async listContainers(label: string): Promise<ListedContainer[]> {
    const containers = await this.#call('list containers', () => this.#docker.listContainers({ all: true, filters: { label: [label] } }));
    return containers.map((container) => ({ id: container.Id, labels: container.Labels ?? {} }));
  }

  /** The daemon's disk accounting (`docker system df -v`): unique layer bytes, and per image its size and shared part. */
  async diskUsage(): Promise<{ layersBytes: number; images: { id: string; sizeBytes: number; sharedBytes: number }[] }> {
    const df = (await this.#call('disk usage', () => this.#docker.df())) as {
      LayersSize?: number;
      Images?: { Id: string; Size: number; SharedSize: number }[];
    };
    return {
      layersBytes: df.LayersSize ?? 0,
      images: (df.Images ?? []).map((image) => ({ id: image.Id, sizeBytes: image.Size, sharedBytes: image.SharedSize })),
    };
  }

  /** Runs one API call with a time limit; connection failures become EngineError. */
  #call<T>(what: string, call: () => Promise<T>, timeoutMs = CALL_TIMEOUT_MS, missingIsFine = false): Promise<T> {
    return guardedCall(describeLocation(this.location), this.flavour, what, call, timeoutMs, missingIsFine);
  }
}

async function localKernel(): Promise<string> {
  try {
    return (await readFile('/proc/sys/kernel/osrelease', 'utf8')).trim();
  } catch {
    return '';
  }
}
