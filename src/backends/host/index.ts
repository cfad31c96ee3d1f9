// The host backend: the process column measured as real processes on this machine.

import type { RealBackend } from '../types.js';
import { probeHost, runHost } from './run.js';

/** `--real host`: the scenario's app as plain fork/exec'd processes (busybox sh) on this host. */
export const hostBackend: RealBackend = {
  name: 'host',
  platform: 'process',
  probe: probeHost,
  run: runHost,
};
