// The swarm backend's client of the Docker Engine API (dockerode): swarm mode, services, tasks and
// overlay networks, plus what image building and cleanup need. Every call has a time limit and turns
// failures into EngineError.

import type { Readable } from 'node:stream';
import type Docker from 'dockerode';
import type { ImageEngine, ImageLayers, ListedImage } from '../shared/docker-images.js';
import { EngineError } from '../../errors.js';
import { connectDocker, DOCKER_FLAVOUR, demuxed, dockerImageEngine, guardedCall, reasonOf, statusOf } from '../shared/docker-client.js';
import { describeLocation, type EngineLocation } from '../shared/docker-locate.js';

const CALL_TIMEOUT_MS = 60_000;

/** Engine and swarm facts for the report. */
export interface SwarmInfo {
  endpoint: string;
  engineVersion: string;
  apiVersion: string;
  /** inactive | pending | active | error | locked. */
  localNodeState: string;
  /** This node is a manager (can create services). */
  controlAvailable: boolean;
  nodeId: string;
  nodes: number | null;
  managers: number | null;
  kernel: string;
  defaultRuntime: string;
}

/** The settings of one isobench service. */
export interface ServiceSpec {
  name: string;
  image: string;
  command: string[];
  replicas: number;
  labels: Record<string, string>;
  memoryLimitBytes: number;
  pidsLimit: number;
  /** The run's overlay network; null: no network (tasks spread over daemons sharing one kernel, see nodes.ts). */
  networkId: string | null;
  /** Placement constraints, e.g. node.id==X to stay on the node that has the image. */
  constraints: string[];
}

/** One task as the API reports it (the fields isobench reads). */
export interface TaskView {
  id: string;
  slot: number;
  /** The swarm node it was assigned to ('' before assignment). */
  nodeId: string;
  createdAt: string;
  state: string;
  timestamp: string;
  err: string;
  containerId: string | null;
  exitCode: number | null;
}

export interface Listed {
  id: string;
  name: string;
  labels: Record<string, string>;
}

/** One node of the swarm as the manager lists it. */
export interface NodeView {
  id: string;
  role: string;
  /** ready | down | unknown | disconnected. */
  state: string;
  /** active | pause | drain. */
  availability: string;
  addr: string;
}

export class SwarmEngine implements ImageEngine {
  readonly location: EngineLocation;
  readonly #docker: Docker;

  readonly #images: ImageEngine;

  private constructor(location: EngineLocation, docker: Docker) {
    this.location = location;
    this.#docker = docker;
    this.#images = dockerImageEngine(docker, (what, call, timeoutMs) => this.#call(what, call, timeoutMs));
  }

  /** Finds the engine as the Docker CLI does and checks that it answers. */
  static async connect(env: NodeJS.ProcessEnv = process.env): Promise<SwarmEngine> {
    const { location, docker } = await connectDocker(env);
    return new SwarmEngine(location, docker);
  }

  async info(): Promise<SwarmInfo> {
    const [info, version] = await this.#call('info', () => Promise.all([this.#docker.info(), this.#docker.version()]));
    const swarm = (info.Swarm ?? {}) as { LocalNodeState?: string; ControlAvailable?: boolean; NodeID?: string; Nodes?: number; Managers?: number };
    return {
      endpoint: describeLocation(this.location),
      engineVersion: String(version.Version),
      apiVersion: String(version.ApiVersion),
      localNodeState: String(swarm.LocalNodeState ?? 'inactive'),
      controlAvailable: swarm.ControlAvailable === true,
      nodeId: String(swarm.NodeID ?? ''),
      nodes: swarm.Nodes ?? null,
      managers: swarm.Managers ?? null,
      kernel: String(info.KernelVersion ?? ''),
      defaultRuntime: String(info.DefaultRuntime ?? ''),
    };
  }

  /** `docker swarm init` on loopback only: no port is opened to other machines. */
  async swarmInit(): Promise<void> {
    await this.#call('swarm init', () => this.#docker.swarmInit({ ListenAddr: '127.0.0.1:2377', AdvertiseAddr: '127.0.0.1', ForceNewCluster: false }));
  }

  async swarmLeave(): Promise<void> {
    await this.#call('swarm leave', () => this.#docker.swarmLeave({ force: true }));
  }

  /** Adds labels to this node's spec (the marker saying isobench initialised the swarm). */
  async labelNode(nodeId: string, labels: Record<string, string>): Promise<void> {
    await this.#call('update node', async () => {
      const node = this.#docker.getNode(nodeId);
      const inspected = (await node.inspect()) as { Version: { Index: number }; Spec: { Labels?: Record<string, string> } };
      await node.update({ version: inspected.Version.Index, ...inspected.Spec, Labels: { ...(inspected.Spec.Labels ?? {}), ...labels } });
    });
  }

  async nodeLabels(nodeId: string): Promise<Record<string, string>> {
    const node = (await this.#call('inspect node', () => this.#docker.getNode(nodeId).inspect())) as { Spec?: { Labels?: Record<string, string> } };
    return node.Spec?.Labels ?? {};
  }

  /** The swarm's nodes (managers only). */
  async listNodes(): Promise<NodeView[]> {
    const nodes = (await this.#call('list nodes', () => this.#docker.listNodes())) as {
      ID: string;
      Spec?: { Role?: string; Availability?: string };
      Status?: { State?: string; Addr?: string };
    }[];
    return nodes.map((n) => ({ id: n.ID, role: n.Spec?.Role ?? '', state: n.Status?.State ?? '', availability: n.Spec?.Availability ?? '', addr: n.Status?.Addr ?? '' }));
  }

  async createNetwork(name: string, labels: Record<string, string>): Promise<string> {
    const network = await this.#call('create network', () => this.#docker.createNetwork({ Name: name, Driver: 'overlay', Internal: true, Attachable: false, Labels: labels, CheckDuplicate: true }));
    return network.id;
  }

  async listNetworks(label: string): Promise<Listed[]> {
    const networks = await this.#call('list networks', () => this.#docker.listNetworks({ filters: { label: [label] } }));
    return networks.map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  /** Networks by exact name (docker_gwbridge). */
  async networksNamed(name: string): Promise<Listed[]> {
    const networks = await this.#call('list networks', () => this.#docker.listNetworks({ filters: { name: [name] } }));
    return networks.filter((n) => n.Name === name).map((n) => ({ id: n.Id, name: n.Name, labels: n.Labels ?? {} }));
  }

  async removeNetwork(id: string): Promise<void> {
    await this.#call('remove network', () => this.#docker.getNetwork(id).remove(), CALL_TIMEOUT_MS, true);
  }

  async createService(spec: ServiceSpec): Promise<string> {
    const created = await this.#call('create service', () =>
      this.#docker.createService({
        Name: spec.name,
        Labels: spec.labels,
        TaskTemplate: {
          ContainerSpec: {
            Image: spec.image,
            Command: spec.command,
            Labels: spec.labels,
            StopSignal: 'SIGKILL',
            StopGracePeriod: 0,
            CapabilityDrop: ['ALL'],
            Privileges: { NoNewPrivileges: true },
          },
          Resources: { Limits: { MemoryBytes: spec.memoryLimitBytes, Pids: spec.pidsLimit } },
          RestartPolicy: { Condition: 'none', MaxAttempts: 0 },
          Placement: { Constraints: spec.constraints },
          Networks: spec.networkId === null ? [] : [{ Target: spec.networkId }],
          LogDriver: { Name: 'json-file', Options: { 'max-size': '1m' } },
        },
        Mode: { Replicated: { Replicas: spec.replicas } },
      } as unknown as Docker.CreateServiceOptions),
    );
    return (created as unknown as { id?: string; ID?: string }).id ?? (created as unknown as { ID: string }).ID;
  }

  /** Services carrying a label; every service without one. */
  async listServices(label?: string): Promise<Listed[]> {
    const services = await this.#call('list services', () => this.#docker.listServices(label === undefined ? {} : { filters: { label: [label] } }));
    return services.map((s) => ({ id: String(s.ID), name: String(s.Spec?.Name ?? ''), labels: (s.Spec?.Labels as Record<string, string> | undefined) ?? {} }));
  }

  async removeService(id: string): Promise<void> {
    await this.#call('remove service', () => this.#docker.getService(id).remove(), CALL_TIMEOUT_MS, true);
  }

  async tasks(serviceId: string): Promise<TaskView[]> {
    const tasks = (await this.#call('list tasks', () => this.#docker.listTasks({ filters: { service: [serviceId] } }))) as {
      ID: string;
      Slot?: number;
      NodeID?: string;
      CreatedAt: string;
      Status: { State: string; Timestamp: string; Err?: string; ContainerStatus?: { ContainerID?: string; ExitCode?: number } };
    }[];
    return tasks.map((t) => ({
      id: t.ID,
      slot: t.Slot ?? 0,
      nodeId: t.NodeID ?? '',
      createdAt: t.CreatedAt,
      state: t.Status.State,
      timestamp: t.Status.Timestamp,
      err: t.Status.Err ?? '',
      containerId: t.Status.ContainerStatus?.ContainerID || null,
      exitCode: t.Status.ContainerStatus?.ExitCode ?? null,
    }));
  }

  /** Containers (running or not) carrying a label. */
  async listContainers(label: string): Promise<Listed[]> {
    const containers = await this.#call('list containers', () => this.#docker.listContainers({ all: true, filters: { label: [label] } }));
    return containers.map((c) => ({ id: c.Id, name: c.Names?.[0] ?? '', labels: c.Labels ?? {} }));
  }

  async removeContainer(id: string): Promise<void> {
    await this.#call('remove container', () => this.#docker.getContainer(id).remove({ force: true, v: true }), CALL_TIMEOUT_MS, true);
  }

  /** A container's output from its start on, followed, each line prefixed with the engine's RFC 3339 nano timestamp. */
  async followLogs(id: string): Promise<Readable> {
    const stream = (await this.#call('container logs', () =>
      this.#docker.getContainer(id).logs({ follow: true, stdout: true, stderr: true, timestamps: true }),
    )) as unknown as NodeJS.ReadableStream & { destroy?: () => void };
    const output = demuxed(this.#docker, stream);
    output.on('close', () => stream.destroy?.());
    return output;
  }

  /** One memory sample of a running container: the Docker CLI figure (usage minus inactive file). */
  async memory(id: string): Promise<{ usageBytes: number | null; inactiveFileBytes: number | null }> {
    const stats = await this.#call('container stats', () => this.#docker.getContainer(id).stats({ stream: false, 'one-shot': true }));
    const memory = stats.memory_stats as { usage?: number; stats?: Record<string, number> };
    const stat = memory.stats ?? {};
    return { usageBytes: memory.usage ?? null, inactiveFileBytes: stat.total_inactive_file ?? stat.inactive_file ?? null };
  }

  /** The writable layer's bytes (walks the layer: keep out of timings), and the container's main pid. */
  async sizeRw(id: string): Promise<{ sizeRwBytes: number | null; pid: number }> {
    const info = await this.#call('inspect container', () => this.#docker.getContainer(id).inspect({ size: true } as Docker.ContainerInspectOptions));
    return { sizeRwBytes: (info as { SizeRw?: number }).SizeRw ?? null, pid: info.State.Pid };
  }

  /** Removes an image that no container uses (a missing one counts as removed). */
  async removeImage(id: string): Promise<void> {
    await this.#call('remove image', () => this.#docker.getImage(id).remove({ force: false, noprune: false }), CALL_TIMEOUT_MS, true);
  }

  listImages(label: string): Promise<ListedImage[]> {
    return this.#images.listImages(label);
  }

  imageLayers(ref: string): Promise<ImageLayers> {
    return this.#images.imageLayers(ref);
  }

  loadImage(archive: Readable, timeoutMs: number): Promise<void> {
    return this.#images.loadImage(archive, timeoutMs);
  }

  async #call<T>(what: string, call: () => Promise<T>, timeoutMs = CALL_TIMEOUT_MS, missingIsFine = false): Promise<T> {
    const endpoint = describeLocation(this.location);
    try {
      return await guardedCall(endpoint, DOCKER_FLAVOUR, what, call, timeoutMs, missingIsFine);
    } catch (error) {
      throw managerGone(endpoint, what, error);
    }
  }
}

/**
 * A stopping dockerd leaves the swarm before it closes its socket: calls in between get HTTP 503
 * "This node is not a swarm manager". Mid-run that means the daemon is going (or the node left the
 * swarm), not that the run asked for something wrong. Other errors pass through. Pure.
 */
export function managerGone(endpoint: string, what: string, error: unknown): unknown {
  if (!(error instanceof EngineError) || statusOf(error.cause) !== 503 || !/not a swarm manager/i.test(reasonOf(error.cause))) return error;
  return new EngineError(`the Docker engine at ${endpoint} stopped being a swarm manager during ${what} (HTTP 503: the daemon is stopping, or the node left the swarm); ${DOCKER_FLAVOUR.restart}`, {
    cause: error.cause,
  });
}
