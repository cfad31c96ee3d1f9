// For the bench:* scripts that hold the model against real engines: a catalog from a profile file or
// a calibration made just now, and one real run of a scenario on a backend with its model as run.

import { writeFile } from 'node:fs/promises';
import { BACKEND_NAMES, loadBackend, type BackendName } from '../../src/backends/list.js';
import { CleanupStack } from '../../src/backends/shared/cleanup.js';
import type { RealBackend } from '../../src/backends/types.js';
import { calibrate } from '../../src/calibrate/index.js';
import { builtBinaries, modelBeside } from '../../src/cli/real-run.js';
import { builtinCatalog, withOverrides } from '../../src/profiles/catalog.js';
import { loadHostProfile } from '../../src/profiles/profile-file.js';
import type { ProfileCatalog } from '../../src/profiles/types.js';
import type { PlatformResult } from '../../src/report/types.js';
import type { Scenario } from '../../src/scenario/types.js';

/** The catalog to model with: `profile` when given, else this host calibrated now for `backends` (saved to `save` when given). */
export async function catalogFor(script: string, backends: readonly string[], signal: AbortSignal, profile?: string, save?: string): Promise<ProfileCatalog> {
  const base = builtinCatalog();
  if (profile !== undefined) return loadHostProfile(profile, base);
  console.error(`${script}: calibrating this host (pass --profile FILE to reuse a profile)`);
  const wanted = new Set(backends);
  const calibrated = await calibrate({
    samples: 8,
    docker: wanted.has('docker'),
    process: wanted.has('host'),
    podman: wanted.has('podman'),
    qemu: wanted.has('qemu'),
    signal,
    progress: (m) => console.error(m),
  });
  for (const line of calibrated.notMeasured) console.error(`${script}: calibration ${line}`);
  if (save !== undefined) await writeFile(save, `${JSON.stringify(calibrated.profile, null, 2)}\n`);
  return withOverrides(base, calibrated.profile.overrides, save ?? 'calibrated just now');
}

/** The backend names in a --backends comma list. */
export function backendNames(list: string): string[] {
  return list.split(',').map((name) => name.trim());
}

/** The real backends among `names` (unknown names and the mock are left out). */
export async function realBackends(names: readonly string[]): Promise<RealBackend[]> {
  const backends: RealBackend[] = [];
  for (const name of names) {
    if ((BACKEND_NAMES as readonly string[]).includes(name) && name !== 'mock') backends.push(await loadBackend(name as BackendName));
  }
  return backends;
}

/** One real run of `scenario` (already as run) and the model of what ran; null (with a line on stderr) when it failed. */
export async function measureWithModel(
  script: string,
  backend: RealBackend,
  scenario: Scenario,
  catalog: ProfileCatalog,
  options: { scale: number; maxInstances: number; repetitions: number; warmup: number; signal: AbortSignal },
): Promise<{ model: PlatformResult; measured: PlatformResult } | null> {
  const cleanup = new CleanupStack();
  let outcome;
  try {
    outcome = await backend.run(scenario, {
      runId: `${script.replace(/\W+/g, '-')}-${Date.now().toString(36)}`,
      scale: options.scale,
      maxInstances: options.maxInstances,
      repetitions: options.repetitions,
      warmup: options.warmup,
      instanceTimeoutMs: 60_000,
      signal: options.signal,
      cleanup,
      progress: (m) => console.error(`  ${m}`),
    });
  } finally {
    await cleanup.run();
  }
  if (outcome.state === 'failed') {
    console.error(`${script}: ${scenario.name} on ${backend.name} failed: ${outcome.error.message}`);
    return null;
  }
  // The model of what really ran (the backend's own rules: runtime, accelerator, boot, warm cache).
  const model = modelBeside(backend, scenario, outcome.result, catalog, await builtBinaries());
  if (model === undefined) throw new Error(`the model has no ${backend.platform} result`);
  return { model, measured: outcome.result };
}
