// Whether a Docker engine answers; engine tests skip with this reason, or fail under ISOBENCH_REQUIRE_ENGINES=1.

import { DockerEngine } from '../../../src/backends/docker/engine.js';

export const required = process.env.ISOBENCH_REQUIRE_ENGINES === '1';

/** The engine, or why there is none. */
export async function findEngine(): Promise<{ engine: DockerEngine; reason: null } | { engine: null; reason: string }> {
  try {
    return { engine: await DockerEngine.connect(), reason: null };
  } catch (error) {
    const reason = (error as Error).message;
    if (required) throw new Error(`ISOBENCH_REQUIRE_ENGINES=1 but no Docker engine: ${reason}`);
    console.warn(`skipping Docker engine tests: ${reason}`);
    return { engine: null, reason };
  }
}
