// The containerd backend: the container column measured on containerd without Docker, through ctr
// against a containerd isobench starts itself (own root, state and socket in a temp folder), so it
// needs only Debian's containerd package (containerd, ctr, containerd-shim-runc-v2, runc).

import { EngineError } from '../../errors.js';
import { onRuntime } from '../shared/as-run-model.js';
import { runtimeVersion } from '../shared/oci-runtime.js';
import type { RealBackend } from '../types.js';
import { CONTAINERD } from './daemon.js';
import { reapFolders } from './reap.js';
import { runContainerd } from './run.js';
import { CTR } from './ctr.js';

/** The model profile of what this backend runs. */
export const CONTAINERD_PROFILE = 'containerd-runc';

/** `--real containerd`: probe() throws EngineError naming the setup step when a binary is missing. */
export const containerdBackend: RealBackend = {
  name: 'containerd',
  platform: 'container',
  layersFromPlan: 'images',
  runsRuntime: (profile) => profile === CONTAINERD_PROFILE,
  async probe() {
    const [containerd, ctr, runc] = await Promise.all([runtimeVersion(CONTAINERD), runtimeVersion(CTR), runtimeVersion('runc')]);
    const missing = [containerd === null ? CONTAINERD : null, ctr === null ? CTR : null, runc === null ? 'runc' : null].filter((name) => name !== null);
    if (missing.length > 0) throw new EngineError(`no ${missing.join(', ')} here: install Debian's containerd with \`sudo scripts/setup-engines.sh containerd\``);
    if (process.getuid?.() !== 0) throw new EngineError('--real containerd starts its own containerd, which needs root: run isobench as root');
    return { containerd, ctr, runc, path: 'own containerd started per run (no dockerd)' };
  },
  run: runContainerd,
  // containerd runs every container on runc (containerd-runc), images imported before anything is timed.
  modelAsRun(scenario) {
    return onRuntime(scenario, CONTAINERD_PROFILE);
  },
  async clean(options) {
    const reaped = await reapFolders(options);
    return {
      removed: { containers: reaped.containers, images: reaped.images, 'containerd daemons': reaped.daemons, 'temp paths': reaped.folders },
      notes: reaped.kept > 0 ? [`kept ${reaped.kept} containerd folder(s) of a run still in progress`] : [],
    };
  },
};
