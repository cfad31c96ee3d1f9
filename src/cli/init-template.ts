// The scenario `isobench init` writes when no --from is given: every field, commented, with values
// that validate as they stand (a test checks it), so a new user edits rather than starts from nothing.

/** The commented scenario for NAME. */
export function scenarioTemplate(name: string): string {
  return `# An isobench scenario: one deployment, described once, compared as processes, containers and VMs.
# Check it with \`isobench validate ${name}.yaml\`; run it with \`isobench bench --scenario FILE\`.
# Sizes need a unit (B KiB MiB GiB TiB, decimal KB MB GB TB); durations ms, s or min.
name: ${name}                  # kebab-case, unique; also names the results
description: >-
  Which question does this scenario answer? E.g. how long until three API instances serve,
  and what do they cost in memory and disk as processes, containers and VMs?

host: server                   # a preset (server, laptop, isobench-dev, density-server), or fields:
# host: { preset: server, cpus: 8, memory: 32GiB, disk: 512GiB, ksm: false, memoryOvercommit: false }
cache: warm                    # warm: images already on the host; cold: fetched and unpacked first
# concurrency: 8               # instances started at once (default: all)

container:
  runtime: docker-runc         # docker-runc | crun | containerd-runc
vm:
  hypervisor: qemu-kvm         # qemu-kvm | qemu-tcg | firecracker | cloud-hypervisor
  memory: 1GiB                 # guest RAM per VM
  vcpus: 1
  clone: linked                # linked (qcow2 overlay) | full (a copy per VM)
  boot: systemd                # kernel (direct to the app) | systemd | cloud-init
  image: { id: debian-12-cloud, size: 2GiB }

services:
  - name: api
    instances: 3               # copies of this service ("replicas" elsewhere)
    app:
      memory: 96MiB            # resident memory of the app itself
      startup: 250ms           # its own initialisation once its environment is up
      files:                   # what EACH instance writes after it starts
        - { path: /var/log/api.log, size: 0, write: 2MiB, mode: create }
        # modes: create (new file, size 0) | append, modify (copy the whole file up in a container)
        #        | overwrite (truncate and write: no copy-up)
    image:
      layers:                  # the same id anywhere = the same layer, stored once
        - { id: debian-12, size: 120MiB }
        - { id: python-3.12, size: 60MiB }
        - { id: api-app, size: 15MiB }
      # ref: alpine:3.20       # or an existing local image, for real runs
    # vm: { memory: 512MiB }   # per-service overrides of the defaults above

  # Many similar services: a template stands for "count" of them, {i} = 1..count; each copy gets
  # its own top layer. Quote strings with {i} inside { } or [ ].
  # - count: 10
  #   template:
  #     name: worker-{i}
  #     instances: 2
  #     app: { memory: 64MiB, startup: 300ms }
  #     image: { layers: [{ id: debian-12, size: 120MiB }, { id: worker-app, size: 10MiB }] }
`;
}
