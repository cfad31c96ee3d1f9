// Hypervisor presets: `vm.hypervisor` in a scenario names one of these.

import type { BootKind } from '../scenario/types.js';
import { param, type Param } from './param.js';
import { SRC, assumption } from './sources.js';
import type { HypervisorProfile } from './types.js';

const KiB = 1024;
const MiB = 1024 ** 2;

// Firecracker guest boot (vCPU start -> init), p50, 4.14 guest, 1 vCPU, 256 MiB.
const MINIMAL_KERNEL_MS = 110;
// Ubuntu cloud image under QEMU/KVM: guest kernel done ~0.9 s after power-on.
const DISTRO_KERNEL_DONE_MS = 900;
// QEMU -machine pc: 244 ms end to end; with qboot 214 ms; so SeaBIOS costs ~30 ms more than qboot.
const QEMU_E2E_MS = 244;
const QEMU_FIRMWARE_MS = 35;
const QEMU_VMM_MS = QEMU_E2E_MS - QEMU_FIRMWARE_MS - MINIMAL_KERNEL_MS;
// Debian cloud kernel 6.1 + busybox initramfs under TCG, to an init marker: ~2.7 s wall on this machine kind.
const TCG_TO_INIT_MS = 2700;
const TCG_FIRMWARE_MS = 300;
const TCG_SLOWDOWN = 8;

/** Guest-side figures that depend on the guest, not the VMM (same for every hypervisor). */
const guest = {
  guestBaseTouchedBytes: param(
    154 * MiB,
    'bytes',
    `${SRC.fcData}: Firecracker RSS 184 MiB at 1 GiB and 377 MiB at 8 GiB guest, less 2.5 MiB VMM; linear fit intercept`,
  ),
  guestTouchedPerRamRatio: param(0.027, 'ratio', `${SRC.fcData}: slope of the same fit, (374.5-181.5) MiB / 7 GiB`),
  guestOsBytes: byBoot(
    [0, 'bytes', 'the app is init; nothing else runs'],
    [100 * MiB, 'bytes', assumption('systemd, journald, udev, sshd and their page cache in a Debian cloud guest')],
    [180 * MiB, 'bytes', assumption('systemd guest plus cloud-init (Python) resident after first boot')],
  ),
  bootReadBytes: byBoot(
    [16 * MiB, 'bytes', assumption('kernel and initramfs read once')],
    [120 * MiB, 'bytes', assumption('distribution boot reads ~120 MiB of its image')],
    [200 * MiB, 'bytes', assumption('cloud-init adds Python and its modules')],
  ),
  bootWriteBytes: byBoot(
    [0, 'bytes', 'nothing written by a direct kernel boot'],
    [8 * MiB, 'bytes', assumption('journal, machine-id, logs on first boot')],
    [32 * MiB, 'bytes', assumption('cloud-init logs, host keys, instance data')],
  ),
  initMs: byBoot(
    [0, 'ms', 'direct kernel boot: the app is init'],
    [2500, 'ms', assumption('systemd userspace of a Debian cloud image to multi-user (systemd-analyze order of magnitude)')],
    [8000, 'ms', assumption('systemd plus cloud-init init, config and final stages')],
  ),
  linkedCloneCreateMs: param(30, 'ms', assumption('qemu-img create -b of a qcow2 overlay')),
  overlayInitialBytes: param(200 * KiB, 'bytes', `${SRC.mechanics}: a fresh qcow2 overlay is ~200 KiB`),
  clusterBytes: param(64 * KiB, 'bytes', `${SRC.mechanics}: qcow2 default cluster size`),
  metadataClustersPerFile: param(2, 'count', assumption('inode and journal blocks land in two more clusters per file written')),
  ksmMergeableRatio: param(0.5, 'ratio', assumption('half of identical guests kernel/OS pages merge once KSM has scanned them')),
};

function distroKernelMs(vmmMs: number, firmwareMs: number, slowdown: number, why: string): Param {
  const value = Math.max(0, DISTRO_KERNEL_DONE_MS - vmmMs - firmwareMs) * slowdown;
  return param(value, 'ms', `${SRC.ibm}: kernel done ~${DISTRO_KERNEL_DONE_MS} ms after power-on, less VMM and firmware${why}`);
}

function byBoot(kernel: ParamArgs, systemd: ParamArgs, cloudInit: ParamArgs): Record<BootKind, Param> {
  return { kernel: param(...kernel), systemd: param(...systemd), 'cloud-init': param(...cloudInit) };
}

type ParamArgs = [number, Param['unit'], string];

const kvm = param(1, 'ratio', 'hardware virtualisation runs guest code at native speed');

export const HYPERVISORS: Record<string, HypervisorProfile> = {
  'qemu-kvm': {
    description: 'QEMU with KVM, -machine pc, SeaBIOS',
    ...guest,
    vmmStartMs: param(QEMU_VMM_MS, 'ms', `${SRC.fcData}: QEMU pc end to end ${QEMU_E2E_MS} ms, less firmware and guest kernel`),
    firmwareMs: param(QEMU_FIRMWARE_MS, 'ms', `${SRC.fcData}: default BIOS 244 ms vs qboot 214 ms, plus qboot's own ~5 ms (assumption)`),
    kernelMs: {
      kernel: param(MINIMAL_KERNEL_MS, 'ms', `${SRC.fcData}: guest boot p50, same guest kernel`),
      systemd: distroKernelMs(QEMU_VMM_MS, QEMU_FIRMWARE_MS, 1, ''),
      'cloud-init': distroKernelMs(QEMU_VMM_MS, QEMU_FIRMWARE_MS, 1, ''),
    },
    guestCpuSlowdown: kvm,
    vmmOverheadBytes: param(26 * MiB, 'bytes', `${SRC.fcData}: Firecracker 2.5 MiB + QEMU's +15..+32 MiB RSS above it (midpoint)`),
    vmmOverheadPerVcpuBytes: param(8 * MiB, 'bytes', `${SRC.kubevirt}: +8 MiB per vCPU (a budget, an upper bound)`),
  },
  'qemu-tcg': {
    description: 'QEMU with TCG software emulation (no KVM): every guest instruction is translated',
    ...guest,
    vmmStartMs: param(QEMU_VMM_MS, 'ms', `${SRC.fcData}: as qemu-kvm (the VMM itself is not emulated)`),
    firmwareMs: param(TCG_FIRMWARE_MS, 'ms', assumption('SeaBIOS under emulation')),
    kernelMs: {
      kernel: param(
        TCG_TO_INIT_MS - QEMU_VMM_MS - TCG_FIRMWARE_MS,
        'ms',
        `${SRC.thisMachine}: Debian cloud kernel 6.1 to an init marker ~${TCG_TO_INIT_MS} ms under TCG, less VMM and firmware`,
      ),
      systemd: distroKernelMs(QEMU_VMM_MS, QEMU_FIRMWARE_MS, TCG_SLOWDOWN, `, times the TCG slowdown`),
      'cloud-init': distroKernelMs(QEMU_VMM_MS, QEMU_FIRMWARE_MS, TCG_SLOWDOWN, `, times the TCG slowdown`),
    },
    guestCpuSlowdown: param(TCG_SLOWDOWN, 'ratio', assumption('TCG runs guest code ~8x slower than KVM; calibrate measures it')),
    vmmOverheadBytes: param(26 * MiB, 'bytes', `${SRC.fcData}: as qemu-kvm`),
    vmmOverheadPerVcpuBytes: param(8 * MiB, 'bytes', `${SRC.kubevirt}: +8 MiB per vCPU`),
  },
  firecracker: {
    description: 'Firecracker microVM: no firmware, direct kernel boot, minimal devices',
    ...guest,
    vmmStartMs: param(161 - MINIMAL_KERNEL_MS, 'ms', `${SRC.fcData}: end to end p50 161 ms, less guest boot ${MINIMAL_KERNEL_MS} ms`),
    firmwareMs: param(0, 'ms', `${SRC.fcSpec}: no firmware, the VMM loads the kernel`),
    kernelMs: {
      kernel: param(MINIMAL_KERNEL_MS, 'ms', `${SRC.fcData}: guest boot p50 (p99 115 ms)`),
      systemd: distroKernelMs(161 - MINIMAL_KERNEL_MS, 0, 1, ''),
      'cloud-init': distroKernelMs(161 - MINIMAL_KERNEL_MS, 0, 1, ''),
    },
    guestCpuSlowdown: kvm,
    vmmOverheadBytes: param(2.5 * MiB, 'bytes', `${SRC.fcData}: VMM memory overhead beyond guest RAM`),
    vmmOverheadPerVcpuBytes: param(0, 'bytes', assumption('vCPU threads add only their stacks')),
  },
  'cloud-hypervisor': {
    description: 'Cloud Hypervisor: direct vmlinux boot, minimal firmware-less path',
    ...guest,
    vmmStartMs: param(20, 'ms', assumption('VMM start; the published figure is end to end only')),
    firmwareMs: param(0, 'ms', `${SRC.fcData}: vmlinux booted directly`),
    kernelMs: {
      kernel: param(103 - 20, 'ms', `${SRC.fcData}: end to end 103 ms, less the assumed 20 ms VMM start`),
      systemd: distroKernelMs(20, 0, 1, ''),
      'cloud-init': distroKernelMs(20, 0, 1, ''),
    },
    guestCpuSlowdown: kvm,
    vmmOverheadBytes: param(13.3 * MiB, 'bytes', `${SRC.fcData}: VMM memory overhead beyond guest RAM`),
    vmmOverheadPerVcpuBytes: param(0, 'bytes', assumption('vCPU threads add only their stacks')),
  },
};
