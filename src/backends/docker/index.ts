// The docker backend: the container column measured on a real Docker Engine.

import type { RealBackend } from '../types.js';
import { DockerEngine, type EngineInfo } from './engine.js';
import { DEFAULT_DOCKER_RUN_CONFIG, runDocker, type DockerRunConfig } from './run.js';

export { partialResultOf } from './partial.js';
export type { DockerRunConfig } from './run.js';

/** The probe record for the report's environment (engines.docker). */
export function engineRecord(info: EngineInfo): Record<string, string | number | boolean | null> {
  return { ...info };
}

/** A docker backend with non-default knobs (tests provoke OOM kills with a negative memory margin). */
export function createDockerBackend(config: Partial<DockerRunConfig> = {}): RealBackend {
  const full: DockerRunConfig = { ...DEFAULT_DOCKER_RUN_CONFIG, ...config };
  return {
    name: 'docker',
    platform: 'container',
    async probe() {
      const engine = await DockerEngine.connect();
      return engineRecord(await engine.info());
    },
    async run(scenario, options) {
      const engine = await DockerEngine.connect();
      return runDocker(engine, await engine.info(), scenario, options, full);
    },
  };
}

/** `--real docker`: probe() throws EngineError with how to start an engine when none answers. */
export const dockerBackend: RealBackend = createDockerBackend();
