#!/usr/bin/env bash
# Installs and starts what isobench's real backends and browser tests need, from Debian's packages
# only: Docker Engine (docker.io) with busybox-static for locally built images, QEMU with a Debian
# cloud guest kernel, Chromium for the HTML report test, and fork-app (the pre-forked app of
# scenarios with app.fork, compiled static with Debian's gcc). Idempotent; run as root.
#
#   scripts/setup-engines.sh            everything
#   scripts/setup-engines.sh docker     only the Docker engine
#   scripts/setup-engines.sh qemu       only QEMU and the guest kernel
#   scripts/setup-engines.sh chromium   only Chromium
#   scripts/setup-engines.sh fork-app   only the fork-app program (into .cache/fork-app/)
#   scripts/setup-engines.sh runtimes   gVisor (runsc) and crun registered with Docker, and Podman
#   scripts/setup-engines.sh containerd containerd, ctr, its runc shim and runc (isobench starts its own daemon per run)
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cache="${ISOBENCH_CACHE:-$here/.cache}"
want="${*:-docker qemu chromium fork-app containerd}"

log() { printf 'setup-engines: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

[ "$(id -u)" = 0 ] || die "run as root (it installs Debian packages and starts dockerd)"

apt_updated=0
install_missing() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q 'install ok installed' || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  if [ $apt_updated = 0 ]; then
    log "apt-get update"
    apt-get update -qq
    apt_updated=1
  fi
  log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

setup_docker() {
  install_missing busybox-static ca-certificates
  # A host that already has a Docker Engine (GitHub's runners ship moby-engine, which conflicts
  # with docker.io) keeps it; Debian's docker.io only comes in where there is none.
  command -v dockerd >/dev/null 2>&1 || install_missing docker.io
  if docker version >/dev/null 2>&1; then
    log "docker engine already answers"
    return 0
  fi
  # After a crash, dockerd refuses to start while its pid file names a live process, and a zombie
  # counts as live (an init that does not reap, as in some sandboxes): drop pid files whose
  # process is gone or a zombie.
  local pidfile pid
  for pidfile in /var/run/docker.pid /var/run/docker/containerd/containerd.pid; do
    [ -s "$pidfile" ] || continue
    pid="$(cat "$pidfile")"
    if ! grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$pid/status"; then
      log "removing stale $pidfile (process $pid is gone or a zombie)"
      rm -f "$pidfile"
    fi
  done
  log "starting dockerd (no iptables, no bridge: isobench containers run with --network none)"
  mkdir -p /var/log
  # containerd is started by dockerd itself when no system containerd runs.
  nohup dockerd --iptables=false --ip6tables=false --bridge=none >/var/log/isobench-dockerd.log 2>&1 &
  for _ in $(seq 1 120); do
    if docker version >/dev/null 2>&1; then
      log "docker engine answers: $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"
      return 0
    fi
    sleep 0.5
  done
  tail -n 30 /var/log/isobench-dockerd.log >&2 || true
  die "dockerd did not answer within 60 s (log: /var/log/isobench-dockerd.log)"
}

setup_qemu() {
  install_missing qemu-system-x86 qemu-utils cpio busybox-static e2fsprogs util-linux
  local kdir="$cache/kernel"
  # The guest's virtio disk drivers are modules in Debian's cloud kernel: keep them beside it,
  # in load order (modules/order), for the initramfs isobench builds.
  local guest_modules="virtio_ring virtio virtio_pci_legacy_dev virtio_pci_modern_dev virtio_pci virtio_blk"
  if [ -s "$kdir/vmlinuz" ] && [ -s "$kdir/modules/order" ]; then
    log "guest kernel already in $kdir: $(cat "$kdir/version" 2>/dev/null || echo unknown)"
    return 0
  fi
  [ $apt_updated = 1 ] || { apt-get update -qq; apt_updated=1; }
  # The metapackage depends on the current versioned image package: download that one.
  local pkg
  pkg="$(apt-cache depends linux-image-cloud-amd64 | awk '/Depends: linux-image-[0-9]/{print $2; exit}')"
  [ -n "$pkg" ] || die "could not resolve linux-image-cloud-amd64 to a kernel package"
  local tmp
  tmp="$(mktemp -d "${TMPDIR:-/tmp}/isobench-kernel.XXXXXX")"
  chmod 755 "$tmp"
  trap 'rm -rf "$tmp"' RETURN
  log "downloading $pkg"
  (cd "$tmp" && apt-get download -qq "$pkg" >/dev/null)
  dpkg -x "$tmp"/*.deb "$tmp/root"
  mkdir -p "$kdir"
  local vmlinuz
  vmlinuz="$(ls "$tmp"/root/boot/vmlinuz-* | head -n 1)"
  rm -rf "$kdir/modules.tmp" && mkdir -p "$kdir/modules.tmp"
  local mod path
  for mod in $guest_modules; do
    path="$(find "$tmp/root/lib/modules" -name "$mod.ko" | head -n 1)"
    [ -n "$path" ] || die "module $mod.ko not found in $pkg"
    cp "$path" "$kdir/modules.tmp/$mod.ko"
    echo "$mod" >>"$kdir/modules.tmp/order"
  done
  rm -rf "$kdir/modules" && mv "$kdir/modules.tmp" "$kdir/modules"
  cp "$vmlinuz" "$kdir/vmlinuz.tmp" && mv "$kdir/vmlinuz.tmp" "$kdir/vmlinuz"
  basename "$vmlinuz" | sed 's/^vmlinuz-//' >"$kdir/version"
  log "guest kernel $(cat "$kdir/version") and its virtio modules in $kdir"
}

setup_chromium() {
  install_missing chromium
  log "chromium: $(chromium --version 2>/dev/null || echo missing)"
}

# A host with cgroup v1 and v2 mounted together ("hybrid") keeps controllers that no v1 hierarchy
# claims on the v2 side (here: hugetlb). crun refuses that ("cgroups in hybrid mode not supported,
# drop all controllers from cgroupv2"); mounting each such controller as its own v1 hierarchy moves
# it off v2 (the kernel allows it while no v2 cgroup uses it), and crun then runs.
move_v2_controllers_to_v1() {
  local unified=/sys/fs/cgroup/unified controller
  [ -r "$unified/cgroup.controllers" ] || return 0
  for controller in $(cat "$unified/cgroup.controllers"); do
    grep -qw "$controller" "$unified/cgroup.subtree_control" 2>/dev/null && { log "cgroup v2 uses $controller: left there (crun will refuse)"; continue; }
    mkdir -p "/sys/fs/cgroup/$controller"
    if mount -t cgroup -o "$controller" cgroup "/sys/fs/cgroup/$controller" 2>/dev/null; then
      log "cgroup controller $controller moved from v2 to its own v1 hierarchy (for crun)"
    else
      log "could not mount the $controller controller as cgroup v1: crun may refuse to run here"
    fi
  done
}

# Registers runsc and crun as Docker runtimes (daemon.json, merged with what is there) and reloads
# dockerd. runsc needs --network=none here: it refuses to start with a network in the root namespace.
register_docker_runtimes() {
  local config=/etc/docker/daemon.json
  mkdir -p /etc/docker
  [ -s "$config" ] || echo '{}' >"$config"
  node -e '
    const fs = require("fs"); const file = process.argv[1];
    const config = JSON.parse(fs.readFileSync(file, "utf8"));
    config.runtimes = { ...(config.runtimes || {}),
      runsc: { path: "/usr/bin/runsc", runtimeArgs: ["--network=none"] },
      crun: { path: "/usr/bin/crun" } };
    fs.writeFileSync(file + ".tmp", JSON.stringify(config, null, 2) + "\n"); fs.renameSync(file + ".tmp", file);
  ' "$config"
  if [ -s /var/run/docker.pid ] && kill -HUP "$(cat /var/run/docker.pid)" 2>/dev/null; then
    for _ in $(seq 1 20); do docker info --format '{{json .Runtimes}}' 2>/dev/null | grep -q runsc && break; sleep 0.25; done
    log "docker runtimes: $(docker info --format '{{range $name, $_ := .Runtimes}}{{$name}} {{end}}' 2>/dev/null)"
  else
    log "dockerd not running: runtimes registered in $config for its next start"
  fi
}

# Podman needs nothing configured for isobench: `--real podman` starts `podman system service` on a
# temp socket per run and stops it (setpriv, from util-linux, stops it too if isobench dies); images
# are loaded through the API and the compatible create never pulls (a missing image is a 404), so no
# registries.conf change is needed; and the backend passes each container's nofile and nproc limits
# itself, because Podman's defaults exceed this kind of sandbox's hard limits (no CAP_SYS_RESOURCE).
# This checks that the service starts and answers, as a run will start it.
check_podman() {
  local dir pid ok=0
  dir="$(mktemp -d "${TMPDIR:-/tmp}/isobench-podman-setup.XXXXXX")"
  podman system service --time=0 "unix://$dir/s" >"$dir/log" 2>&1 &
  pid=$!
  for _ in $(seq 1 100); do
    if curl -sf --unix-socket "$dir/s" http://d/_ping >/dev/null 2>&1; then ok=1; break; fi
    sleep 0.1
  done
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  [ $ok = 1 ] || { cat "$dir/log" >&2; rm -rf "$dir"; die "podman system service did not answer within 10 s"; }
  rm -rf "$dir"
  log "podman: $(podman --version) with $(podman info --format '{{.Host.OCIRuntime.Name}} ({{.Host.CgroupManager}}, cgroups {{.Host.CgroupsVersion}}), storage {{.Store.GraphDriverName}}' 2>/dev/null); its API service starts and answers"
}

setup_runtimes() {
  install_missing runsc crun podman util-linux curl
  move_v2_controllers_to_v1
  register_docker_runtimes
  check_podman
}

setup_containerd() {
  # Debian's containerd package brings containerd, ctr and containerd-shim-runc-v2; runc is its own
  # package. Nothing is started: `--real containerd` runs its own containerd in a temp folder per run
  # (Docker's containerd, if any, is left alone). busybox-static is the images' busybox.
  install_missing containerd runc busybox-static
  log "containerd: $(containerd --version 2>/dev/null || echo missing); $(runc --version 2>/dev/null | head -n 1 || echo 'runc missing')"
}

setup_fork_app() {
  install_missing gcc libc6-dev
  local dir="$cache/fork-app" src="$here/native/fork-app.c"
  if [ -x "$dir/fork-app" ] && [ "$dir/fork-app" -nt "$src" ]; then
    log "fork-app already built in $dir"
    return 0
  fi
  mkdir -p "$dir"
  # Static, so the same binary runs on the host, in a busybox container and in a busybox initramfs.
  gcc -static -O2 -Wall -Wextra -o "$dir/fork-app.tmp" "$src"
  mv "$dir/fork-app.tmp" "$dir/fork-app"
  log "fork-app built: $dir/fork-app"
}

for part in $want; do
  case "$part" in
    docker) setup_docker ;;
    qemu) setup_qemu ;;
    chromium) setup_chromium ;;
    fork-app) setup_fork_app ;;
    runtimes) setup_runtimes ;;
    containerd) setup_containerd ;;
    *) die "unknown part '$part' (docker, qemu, chromium, fork-app, runtimes, containerd)" ;;
  esac
done
