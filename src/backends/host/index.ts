// The host backend: the process column measured as real processes on this machine.

import type { RealBackend } from '../types.js';
import { asMeasured } from '../shared/as-run-model.js';
import { removeTempDirs } from '../shared/temp.js';
import { calibrateHost } from './calibrate.js';
import { probeHost, runHost } from './run.js';

/** `--real host`: the scenario's app as plain fork/exec'd processes (busybox sh) on this host. */
export const hostBackend: RealBackend = {
  name: 'host',
  platform: 'process',
  layersFromPlan: 'install',
  probe: probeHost,
  run: runHost,
  // Processes: the model's process column as is; the install is written before anything is timed.
  modelAsRun: (scenario) => asMeasured(scenario),
  calibrate: calibrateHost,
  async clean(options) {
    const temp = await removeTempDirs('host', options);
    return { removed: { 'temp paths': temp.removed.length }, notes: temp.kept > 0 ? [`kept ${temp.kept} host temp folder(s) of a run in progress`] : [] };
  },
};
