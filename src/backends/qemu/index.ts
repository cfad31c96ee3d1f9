// The QEMU backend: real guests (Debian cloud kernel, busybox initramfs playing the app) measured
// for boot time, memory and disk, beside the VM model. `--real qemu` loads this module.

import type { RealBackend } from '../types.js';
import { chooseAccelerator } from './accelerator.js';
import { findQemuEngine } from './engine.js';
import { runQemuScenario } from './run.js';

/** RealBackend for platform 'vm': probe() finds QEMU and decides kvm or tcg; run() boots the guests. */
export const qemuBackend: RealBackend = {
  name: 'qemu',
  platform: 'vm',
  async probe() {
    const engine = await findQemuEngine();
    const accel = await chooseAccelerator(engine, new AbortController().signal);
    return {
      version: engine.version,
      accelerator: accel.accelerator,
      acceleratorReason: accel.reason,
      acceleratorDecidedBy: accel.decidedBy,
      guestKernel: engine.kernelVersion,
      machine: 'pc',
      firmware: 'SeaBIOS',
    };
  },
  run(scenario, options) {
    return runQemuScenario(scenario, options);
  },
};
