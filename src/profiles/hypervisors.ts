// Hypervisor presets: `vm.hypervisor` in a scenario names one of these.

import type { BootKind, KernelKind } from '../scenario/types.js';
import { param, type Param } from './param.js';
import { SRC, assumption } from './sources.js';
import type { HypervisorProfile } from './types.js';

const KiB = 1024;
const MiB = 1024 ** 2;

// Firecracker guest boot (vCPU start -> init), p50, 4.14 guest, 1 vCPU, 256 MiB: a minimal kernel.
const MINIMAL_KERNEL_MS = 110;
// Ubuntu cloud image under QEMU/KVM: guest kernel done ~0.9 s after power-on (a distribution kernel).
const DISTRO_KERNEL_DONE_MS = 900;
// QEMU -machine pc: 244 ms end to end; with qboot 214 ms; so SeaBIOS costs ~30 ms more than qboot.
const QEMU_E2E_MS = 244;
const QEMU_FIRMWARE_MS = 35;
const QEMU_VMM_MS = QEMU_E2E_MS - QEMU_FIRMWARE_MS - MINIMAL_KERNEL_MS;
const DISTRO_KERNEL_KVM_MS = DISTRO_KERNEL_DONE_MS - QEMU_VMM_MS - QEMU_FIRMWARE_MS;
// Under TCG on this machine kind (issue 9): the Debian kernel ~2.3 s, systemd ~6.1 s. Kernel boot is
// CPU-bound guest work, so TCG's slowdown is its time under TCG over its time under KVM.
const DISTRO_KERNEL_TCG_MS = 2300;
const TCG_SLOWDOWN = Math.round((DISTRO_KERNEL_TCG_MS / DISTRO_KERNEL_KVM_MS) * 100) / 100;
const TCG_FIRMWARE_MS = 300;
// systemd to multi-user: ~2.5 s under KVM (assumption) and 6.1 s under TCG (measured): 2.5 = cpu + wait,
// 6.1 = cpu x slowdown + wait -> cpu = (6.1 - 2.5) / (slowdown - 1).
const SYSTEMD_KVM_MS = 2500;
const SYSTEMD_TCG_MS = 6100;
const SYSTEMD_CPU_MS = Math.round((SYSTEMD_TCG_MS - SYSTEMD_KVM_MS) / (TCG_SLOWDOWN - 1));

// Firecracker's published RSS (less its 2.5 MiB VMM): 181.5 MiB at 1 GiB, 374.5 MiB at 8 GiB guests.
const FC_SLOPE = (374.5 - 181.5) / (7 * 1024); // touched MiB per guest MiB
const FC_INTERCEPT_MIB = 181.5 - FC_SLOPE * 1024;
const STRUCT_PAGE_RATIO = 64 / 4096;
// A minimal guest kernel with the Kata agent, from Kata's QEMU baseline at 2048 MiB: 115.8 MiB PSS less
// QEMU 26 MiB, its shim and virtiofsd (~18 MiB, assumption) and the RAM-proportional part.
const KATA_PSS_MIB = 118601 / 1024;
const KATA_SHIM_VIRTIOFSD_MIB = 18;
const MINIMAL_KERNEL_MIB = Math.round(KATA_PSS_MIB - 26 - KATA_SHIM_VIRTIOFSD_MIB - FC_SLOPE * 2048);

/** Guest-side figures that depend on the guest, not the VMM (same for every hypervisor). */
const guest = {
  guestKernelBytes: {
    minimal: param(
      MINIMAL_KERNEL_MIB * MiB,
      'bytes',
      `${SRC.kataQemu}: ${KATA_PSS_MIB.toFixed(1)} MiB less QEMU 26 MiB, shim + virtiofsd ~${KATA_SHIM_VIRTIOFSD_MIB} MiB (assumption) and ${(FC_SLOPE * 100).toFixed(2)}% of 2048 MiB`,
    ),
    distro: param(60 * MiB, 'bytes', assumption('a distribution kernel: larger text, loaded modules, initramfs leftovers (~4x a minimal one)')),
  } satisfies Record<KernelKind, Param>,
  guestStructPageRatio: param(STRUCT_PAGE_RATIO, 'ratio', SRC.structPage),
  guestKernelPerRamRatio: param(
    Math.round((FC_SLOPE - STRUCT_PAGE_RATIO) * 1e6) / 1e6,
    'ratio',
    `${SRC.fcData}: RSS grows ${(FC_SLOPE * 1024).toFixed(1)} MiB per GiB of guest RAM between 1 and 8 GiB, less struct pages`,
  ),
  guestBootExtraBytes: param(0, 'bytes', 'nothing beyond the parts for this hypervisor'),
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
  initCpuMs: byBoot(
    [0, 'ms', 'direct kernel boot: the app is init'],
    [SYSTEMD_CPU_MS, 'ms', `${SRC.issue9Tcg}; systemd ~${SYSTEMD_KVM_MS} ms under KVM (assumption): the CPU part is (6.1 s - ${SYSTEMD_KVM_MS / 1000} s) / (TCG slowdown - 1)`],
    [4800, 'ms', assumption('systemd plus cloud-init stages: ~8 s, 60% of it Python on the CPU')],
  ),
  initWaitMs: byBoot(
    [0, 'ms', 'direct kernel boot: the app is init'],
    [SYSTEMD_KVM_MS - SYSTEMD_CPU_MS, 'ms', `systemd ~${SYSTEMD_KVM_MS} ms under KVM (assumption) less its CPU part: devices, timers, units waiting`],
    [3200, 'ms', assumption('cloud-init waiting on its datasource and network: 40% of ~8 s')],
  ),
  metadataClustersPerFile: param(2, 'count', assumption('inode and journal blocks land in two more clusters per file written')),
  imageCompressionRatio: param(600 / (3.5 * 1024 * 1.048576), 'ratio', `${SRC.cloudImages}: 600 MB / 3.5 GiB`),
};

const qcow2 = {
  linkedClone: 'qcow2 overlay (qemu-img create -b)',
  linkedCloneCreateMs: param(30, 'ms', assumption('qemu-img create -b of a qcow2 overlay: exec and a few metadata writes')),
  overlayInitialBytes: param(200 * KiB, 'bytes', `${SRC.mechanics}: a fresh qcow2 overlay is ~200 KiB`),
  clusterBytes: param(64 * KiB, 'bytes', `${SRC.mechanics}: qcow2 default cluster size`),
};

function distroKernelMs(slowdown: number, why: string): Param {
  return param(DISTRO_KERNEL_KVM_MS * slowdown, 'ms', `${SRC.ibm}: kernel done ~${DISTRO_KERNEL_DONE_MS} ms after power-on, less QEMU's VMM and firmware${why}`);
}

function byBoot(kernel: ParamArgs, systemd: ParamArgs, cloudInit: ParamArgs): Record<BootKind, Param> {
  return { kernel: param(...kernel), systemd: param(...systemd), 'cloud-init': param(...cloudInit) };
}

type ParamArgs = [number, Param['unit'], string];

const kvm = param(1, 'ratio', 'hardware virtualisation runs guest code at native speed');
const qemuKsm = param(
  Math.round((1 - 53985 / 118601) * (KATA_PSS_MIB / (KATA_PSS_MIB - 26 - KATA_SHIM_VIRTIOFSD_MIB)) * 100) / 100,
  'ratio',
  `${SRC.kataQemu}: KSM saves ${((118601 - 53985) / 1024).toFixed(1)} MiB of an idle guest's ~${(KATA_PSS_MIB - 26 - KATA_SHIM_VIRTIOFSD_MIB).toFixed(0)} MiB`,
);
const QEMU_DEFAULT_KERNEL = assumption("QEMU guests usually boot the distribution's own kernel from their image");

export const HYPERVISORS: Record<string, HypervisorProfile> = {
  'qemu-kvm': {
    description: 'QEMU with KVM, -machine pc, SeaBIOS',
    defaultKernel: 'distro',
    defaultKernelWhy: QEMU_DEFAULT_KERNEL,
    ...guest,
    ...qcow2,
    fullClone: 'full copy of the image',
    vmmStartMs: param(QEMU_VMM_MS, 'ms', `${SRC.fcData}: QEMU pc end to end ${QEMU_E2E_MS} ms, less firmware and guest kernel`),
    firmwareMs: param(QEMU_FIRMWARE_MS, 'ms', `${SRC.fcData}: default BIOS 244 ms vs qboot 214 ms, plus qboot's own ~5 ms (assumption)`),
    kernelMs: { minimal: param(MINIMAL_KERNEL_MS, 'ms', `${SRC.fcData}: guest boot p50, a minimal 4.14 kernel`), distro: distroKernelMs(1, '') },
    guestCpuSlowdown: kvm,
    vmmOverheadBytes: param(26 * MiB, 'bytes', `${SRC.fcData}: Firecracker 2.5 MiB + QEMU's +15..+32 MiB RSS above it (midpoint), measured with 1 vCPU`),
    vmmOverheadPerVcpuBytes: param(8 * MiB, 'bytes', `${SRC.kubevirt}: +8 MiB per vCPU, counted for each vCPU beyond the first`),
    ksmMergeableRatio: qemuKsm,
  },
  'qemu-tcg': {
    description: 'QEMU with TCG software emulation (no KVM): every guest instruction is translated',
    defaultKernel: 'distro',
    defaultKernelWhy: QEMU_DEFAULT_KERNEL,
    ...guest,
    ...qcow2,
    fullClone: 'full copy of the image',
    vmmStartMs: param(QEMU_VMM_MS, 'ms', `${SRC.fcData}: as qemu-kvm (the VMM itself is not emulated)`),
    firmwareMs: param(TCG_FIRMWARE_MS, 'ms', assumption('SeaBIOS under emulation')),
    kernelMs: {
      minimal: param(MINIMAL_KERNEL_MS * TCG_SLOWDOWN, 'ms', `${SRC.fcData}: ${MINIMAL_KERNEL_MS} ms, times the TCG slowdown`),
      distro: param(DISTRO_KERNEL_TCG_MS, 'ms', SRC.issue9Tcg),
    },
    guestCpuSlowdown: param(
      TCG_SLOWDOWN,
      'ratio',
      `CPU-bound guest work: the Debian kernel's boot ${DISTRO_KERNEL_TCG_MS} ms under TCG (${SRC.issue9Tcg}) over ~${DISTRO_KERNEL_KVM_MS} ms under KVM (${SRC.ibm})`,
    ),
    vmmOverheadBytes: param(26 * MiB, 'bytes', `${SRC.fcData}: as qemu-kvm`),
    vmmOverheadPerVcpuBytes: param(8 * MiB, 'bytes', `${SRC.kubevirt}: +8 MiB per vCPU beyond the first`),
    ksmMergeableRatio: qemuKsm,
  },
  firecracker: {
    description: 'Firecracker microVM: no firmware, direct kernel boot, raw block devices only',
    defaultKernel: 'minimal',
    defaultKernelWhy: `${SRC.fcSpec}: Firecracker boots an uncompressed minimal guest kernel (its guest configs)`,
    ...guest,
    guestBootExtraBytes: param(
      Math.round((FC_INTERCEPT_MIB - MINIMAL_KERNEL_MIB) * MiB),
      'bytes',
      `${SRC.fcData}: its guests' RSS fit (intercept ${FC_INTERCEPT_MIB.toFixed(1)} MiB) less a minimal kernel: what Firecracker's published guest touches beyond Kata's (the source does not say what)`,
    ),
    linkedClone: 'device-mapper thin snapshot (as firecracker-containerd)',
    fullClone: 'raw copy of the image',
    linkedCloneCreateMs: param(10, 'ms', assumption('dmsetup message create_snap + dmsetup create: one thin-pool metadata transaction, serialised per pool')),
    overlayInitialBytes: param(0, 'bytes', 'a thin snapshot shares every data block of its origin; only pool metadata changes'),
    clusterBytes: param(64 * KiB, 'bytes', `${SRC.devmapper}: a write to a shared block copies the whole 64 KiB block`),
    vmmStartMs: param(161 - MINIMAL_KERNEL_MS, 'ms', `${SRC.fcData}: end to end p50 161 ms, less guest boot ${MINIMAL_KERNEL_MS} ms`),
    firmwareMs: param(0, 'ms', `${SRC.fcSpec}: no firmware, the VMM loads the kernel`),
    kernelMs: { minimal: param(MINIMAL_KERNEL_MS, 'ms', `${SRC.fcData}: guest boot p50 (p99 115 ms)`), distro: distroKernelMs(1, '') },
    guestCpuSlowdown: kvm,
    vmmOverheadBytes: param(2.5 * MiB, 'bytes', `${SRC.fcData}: VMM memory overhead beyond guest RAM`),
    vmmOverheadPerVcpuBytes: param(0, 'bytes', assumption('vCPU threads add only their stacks')),
    ksmMergeableRatio: param(0, 'ratio', assumption('Firecracker does not mark guest memory mergeable (no MADV_MERGEABLE option)')),
  },
  'cloud-hypervisor': {
    description: 'Cloud Hypervisor: direct vmlinux boot, raw or qcow2 disks',
    defaultKernel: 'minimal',
    defaultKernelWhy: assumption("Cloud Hypervisor's documented guests boot its own minimal kernel config"),
    ...guest,
    ...qcow2,
    linkedClone: 'qcow2 overlay (Cloud Hypervisor reads qcow2 with a backing file)',
    fullClone: 'raw copy of the image',
    vmmStartMs: param(20, 'ms', assumption('VMM start; the published figure is end to end only')),
    firmwareMs: param(0, 'ms', `${SRC.fcData}: vmlinux booted directly`),
    kernelMs: { minimal: param(103 - 20, 'ms', `${SRC.fcData}: end to end 103 ms, less the assumed 20 ms VMM start`), distro: distroKernelMs(1, '') },
    guestCpuSlowdown: kvm,
    vmmOverheadBytes: param(13.3 * MiB, 'bytes', `${SRC.fcData}: VMM memory overhead beyond guest RAM`),
    vmmOverheadPerVcpuBytes: param(0, 'bytes', assumption('vCPU threads add only their stacks')),
    ksmMergeableRatio: param(0, 'ratio', `${SRC.kataClh}: KSM on saves nothing (guest memory is not marked mergeable by default)`),
  },
};
