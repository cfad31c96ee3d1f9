// Short names for the published sources behind preset values (full list: ../shared/reference/figures.md).

export const SRC = {
  fcData: 'Firecracker NSDI 2020 raw data (firecracker-microvm/nsdi2020-data)',
  fcSpec: 'Firecracker specification (SPECIFICATION.md)',
  kubevirt: 'KubeVirt virt-launcher memory overhead budget',
  ibm: 'IBM containers-vs-VMs comparison (2014 logs)',
  gvisor: 'gVisor performance guide (docker run on GCE n1-standard-4)',
  crun: 'crun README (100 sequential /bin/true containers)',
  lightvm: 'LightVM, SOSP 2017 (abstract)',
  repoInfo: 'docker-library/repo-info (ubuntu:24.04 29.8 MB compressed, ~78 MB on disk)',
  mechanics: 'mechanics.md (qcow2 / overlayfs / fork semantics)',
  thisMachine: "measured on this project's machine kind (figures.md: dockerode on Docker 20.10, 2 cores)",
} as const;

/** "assumption: why" — for values no source gives. */
export function assumption(why: string): string {
  return `assumption: ${why}`;
}
