// Which OCI runtime (runc, crun, runsc) a container engine runs a scenario's containers with, and
// that runtime's version: shared by the engines that speak Docker's API (Docker, Podman).

import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { ociRuntime, runtimeEngine } from '../../profiles/runtimes.js';
import type { Scenario } from '../../scenario/types.js';

const run = promisify(execFile);

/** The runtime chosen for a run: the profile the model should use, the engine's runtime name, and why. */
export interface RuntimeChoice {
  /** Model profile, e.g. "docker-runsc". */
  profile: string;
  /** The name the engine knows the runtime by (HostConfig.Runtime), e.g. "runsc". */
  runtime: string;
  notes: string[];
}

/**
 * The runtime to run `scenario` with on `engine` ("docker", "podman"): the scenario's own when it is
 * this engine's and registered; the engine's default when the scenario names another engine's; an
 * Error saying how to register it when it is this engine's but missing. Pure.
 */
export function chooseRuntime(scenario: Scenario, engine: string, registered: readonly string[], defaultRuntime: string): RuntimeChoice | Error {
  const asked = [...new Set(scenario.services.map((service) => service.container.runtime))];
  const own = asked.filter((profile) => runtimeEngine(profile) === engine);
  if (own.length > 1) return new Error(`the services name several ${engine} runtimes (${own.join(', ')}); list them as container.runtime: [${own.join(', ')}] to compare them`);
  const fallback = `${engine}-${defaultRuntime}`;
  if (own.length === 0) {
    return {
      profile: fallback,
      runtime: defaultRuntime,
      notes: [`the scenario names ${asked.join(', ')}; measured on ${engine} with its default runtime ${defaultRuntime} (model profile ${fallback})`],
    };
  }
  const profile = own[0]!;
  const runtime = ociRuntime(profile);
  if (!registered.includes(runtime)) {
    return new Error(`${engine} has no runtime ${runtime} (it has ${registered.join(', ') || 'none listed'}); install and register it with \`sudo scripts/setup-engines.sh runtimes\``);
  }
  const others = asked.filter((p) => p !== profile);
  return { profile, runtime, notes: others.length === 0 ? [] : [`the scenario also names ${others.join(', ')}; every container ran on ${runtime}`] };
}

/** The first line of `BINARY --version` ("runsc version 0.0~20221219.0"), or null when it cannot run here. */
export async function runtimeVersion(binary: string): Promise<string | null> {
  try {
    const { stdout } = await run(binary, ['--version'], { timeout: 5000 });
    return stdout.split('\n')[0]?.trim() || null;
  } catch {
    return null;
  }
}

/**
 * Pids a runtime's own processes add to the container's pids cgroup: gVisor's Sentry and Gofer are
 * Go programs whose threads count there (39 idle, measured here 2026-12-01; a busybox app failed
 * to start under --pids-limit 64 and started under 128), so runsc gets 192 more.
 */
export function runtimePidsExtra(runtime: string): number {
  return runtime === 'runsc' ? 192 : 0;
}
