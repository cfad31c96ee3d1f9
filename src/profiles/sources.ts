// Short names for the published sources behind preset values (full list: ../shared/reference/figures.md).

export const SRC = {
  fcData: 'Firecracker NSDI 2020 raw data (firecracker-microvm/nsdi2020-data)',
  fcSpec: 'Firecracker specification (SPECIFICATION.md)',
  kubevirt: 'KubeVirt virt-launcher memory overhead budget',
  ibm: 'IBM containers-vs-VMs comparison (2014 logs)',
  gvisor: 'gVisor performance guide (docker run on GCE n1-standard-4)',
  gvisorArch: 'gVisor architecture guide (gvisor.dev/docs/architecture_guide: Sentry and Gofer per sandbox, resources model)',
  gvisorColdStart: 'apoxy.dev blog "gVisor cold start: where the time goes" (runsc create + start on eight hosts)',
  crun: 'crun README (100 sequential /bin/true containers)',
  lightvm: 'LightVM, SOSP 2017 (abstract)',
  repoInfo: 'docker-library/repo-info (ubuntu:24.04 29.8 MB compressed, ~78 MB on disk)',
  mechanics: 'mechanics.md (qcow2 / overlayfs / fork semantics)',
  thisMachine: "measured on this project's machine kind (figures.md: dockerode on Docker 20.10, 2 cores)",
  kataQemu:
    'Kata Containers CI baseline (kata-containers/tests cmd/checkmetrics/ci_worker/checkmetrics-json-qemu-kata-metric4.toml): idle busybox containers, 2048 MiB / 1 vCPU guests, mean PSS of QEMU + virtiofsd + shim 118,601 KB without KSM, 53,985 KB with KSM',
  kataClh:
    'Kata Containers CI baseline (kata-containers/tests cmd/checkmetrics/ci_worker/checkmetrics-json-cloud-hypervisor-kata-metric4.toml): same test on Cloud Hypervisor, 103,217 KB without KSM, 107,699 KB with KSM',
  devmapper: 'containerd devmapper snapshotter setup (snapshots/devmapper/README.md: thin-pool DATA_BLOCK_SIZE=128 sectors = 64 KiB), as firecracker-containerd uses it',
  ksmDefaults: 'Linux Documentation/admin-guide/mm/ksm.rst defaults: pages_to_scan 100 per sleep_millisecs 20 (4 KiB pages)',
  structPage: 'Linux x86-64: one 64-byte struct page per 4 KiB page frame (1/64 of guest RAM)',
  issue9Tcg: 'issue 9 (measured on this machine kind): Debian kernel under QEMU TCG ~2.3 s to init, systemd ~6.1 s',
  cloudImages: 'figures.md: Ubuntu 24.04 server cloud image ~600 MB as qcow2 for its 3.5 GiB virtual disk (Debian 13 generic ~324 MB for 3 GiB)',
} as const;

/** "assumption: why" — for values no source gives. */
export function assumption(why: string): string {
  return `assumption: ${why}`;
}
