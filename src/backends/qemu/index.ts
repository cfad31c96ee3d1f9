// The QEMU backend: real guests (Debian cloud kernel, busybox initramfs playing the app) measured
// for boot time, memory and disk, beside the VM model. `--real qemu` loads this module.

import { everyService, asMeasured } from '../shared/as-run-model.js';
import { removeTempDirs } from '../shared/temp.js';
import type { RealBackend } from '../types.js';
import { chooseAccelerator } from './accelerator.js';
import { calibrateQemu } from './calibrate.js';
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
  run: (scenario, options) => runQemuScenario(scenario, options),
  // What ran: the accelerator QEMU found (a TCG measurement is never held against a KVM model), a
  // kernel booted straight into a busybox init, and a base image built before anything was timed.
  modelAsRun(scenario, measured) {
    const accelerator = measured.provenance.kind === 'measured' ? measured.provenance.accelerator : undefined;
    let modeled = asMeasured(scenario, { appScript: false });
    if (accelerator !== undefined) {
      const hypervisor = `qemu-${accelerator}`;
      modeled = everyService(
        modeled,
        (s) => s.vm.hypervisor,
        hypervisor,
        (s) => ({ ...s, vm: { ...s.vm, hypervisor } }),
        (changed) => `modeled with the ${hypervisor} profile, as measured (the scenario names ${changed})`,
      );
    }
    modeled = everyService(
      modeled,
      (s) => s.vm.boot,
      'kernel',
      (s) => ({ ...s, vm: { ...s.vm, boot: 'kernel' as const } }),
      (changed) => `modeled as boot: kernel, as measured: the real guest boots straight into a busybox init (the scenario names ${changed})`,
    );
    // The guest's init holds the app's memory itself: fork-app is not in the initramfs yet.
    return everyService(
      modeled,
      (s) => (s.app.fork === undefined ? 'single' : 'forking'),
      'single',
      ({ app: { fork: _fork, ...app }, ...s }) => ({ ...s, app }),
      () => 'modeled without forked workers, as measured: the guest runs the app as one process (fork-app is not in the initramfs)',
    );
  },
  async calibrate(options) {
    return calibrateQemu({ signal: options.signal, progress: options.progress, runId: options.runId });
  },
  async clean(options) {
    const temp = await removeTempDirs('qemu', options);
    return { removed: { 'temp paths': temp.removed.length }, notes: temp.kept > 0 ? [`kept ${temp.kept} QEMU work folder(s) of a run in progress`] : [] };
  },
};
