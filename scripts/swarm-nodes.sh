#!/usr/bin/env bash
# A multi-node Docker Swarm on this one machine, for `bench --real swarm` and its tests: N-1 extra
# Docker daemons (the docker.io binaries already installed; each its own data-root, exec-root, pid
# file, unix socket and containerd) join the main engine's swarm as workers, advertising 127.0.0.2,
# 127.0.0.3, ... (Linux routes all of 127.0.0.0/8 to lo: no address is added). Run as root.
#
#   scripts/swarm-nodes.sh up N       main engine + N-1 workers (2 <= N <= 9); prints the workers'
#                                     endpoints, the value for ISOBENCH_SWARM_NODES
#   scripts/swarm-nodes.sh endpoints  prints that value again (empty when no worker is up)
#   scripts/swarm-nodes.sh down       workers leave and stop, their folders and bridges go; the
#                                     main engine leaves the swarm when `up` initialised it
#
# The main dockerd is never stopped or reconfigured: `up` only runs `swarm init` on it (loopback
# only, 127.0.0.1:2377) when it is in no swarm, and `down` leaves that swarm again. `up` refuses a
# main engine already in a swarm it did not make (someone else's, or an isobench run's).
#
# What one kernel allows: every daemon here creates its overlay networks' VXLAN devices in the
# same (host) network namespace, and the second daemon to join a network fails with "error creating
# vxlan interface: file exists" (same VNI). So tasks spread over these nodes run without a network
# (the backend sees that and says so); workers start with --bridge=none, so "no network" is only
# loopback. Each worker gets its own docker_gwbridge (bridge isobgwI, 10.254.I.0/24) before joining,
# so its ingress sandbox does not take over the main engine's docker_gwbridge interface.
#
# Folders: $ISOBENCH_SWARM_NODES_DIR (default /run/isobench-swarm-nodes)/nodeI/{data,exec,...}.
set -euo pipefail

base="${ISOBENCH_SWARM_NODES_DIR:-/run/isobench-swarm-nodes}"

log() { printf 'swarm-nodes: %s\n' "$*" >&2; }
die() { log "error: $*"; exit 1; }

# The main engine, as the docker CLI finds it (DOCKER_HOST or /var/run/docker.sock).
main() { docker "$@"; }
node() { local i="$1"; shift; docker -H "unix://$base/node$i/docker.sock" "$@"; }
swarm_state() { docker "$@" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unreachable; }
# A pid file's process still runs (a zombie counts as gone: this machine's init may not reap).
alive() { [ -s "$1" ] && grep -qs '^State:[[:space:]]*[^Z[:space:]]' "/proc/$(cat "$1")/status"; }
workers() { [ -d "$base" ] && find "$base" -maxdepth 1 -name 'node[0-9]' -printf '%f\n' | sed 's/^node//' | sort -n; }

endpoints() {
  local out=() i
  for i in $(workers); do [ -S "$base/node$i/docker.sock" ] && out+=("unix://$base/node$i/docker.sock"); done
  (IFS=,; printf '%s\n' "${out[*]:-}")
}

start_worker() {
  local i="$1" dir="$base/node$1"
  mkdir -p "$dir/data" "$dir/exec"
  # Its own (empty) daemon.json: /etc/docker/daemon.json belongs to the main engine.
  echo '{}' >"$dir/daemon.json"
  # setsid: the daemon outlives this script and a Ctrl-C in its terminal; containerd is started by
  # dockerd itself under the exec-root.
  setsid dockerd --config-file "$dir/daemon.json" --data-root "$dir/data" --exec-root "$dir/exec" \
    --pidfile "$dir/dockerd.pid" -H "unix://$dir/docker.sock" \
    --iptables=false --ip6tables=false --bridge=none --log-level warn \
    >"$dir/dockerd.log" 2>&1 </dev/null &
  local _
  for _ in $(seq 1 120); do
    node "$i" version >/dev/null 2>&1 && break
    sleep 0.25
  done
  node "$i" version >/dev/null 2>&1 || { tail -n 20 "$dir/dockerd.log" >&2; die "worker $i's dockerd did not answer within 30 s (log: $dir/dockerd.log)"; }
  node "$i" network create --driver bridge --subnet "10.254.$i.0/24" \
    --opt "com.docker.network.bridge.name=isobgw$i" \
    --opt com.docker.network.bridge.enable_icc=false \
    --opt com.docker.network.bridge.enable_ip_masquerade=false \
    docker_gwbridge >/dev/null
  node "$i" swarm join --token "$2" --advertise-addr "127.0.0.$i" --listen-addr "127.0.0.$i:2377" --data-path-addr "127.0.0.$i" "$3" >/dev/null
  log "worker $i joined as $(node "$i" info --format '{{.Swarm.NodeID}}') (127.0.0.$i, unix://$dir/docker.sock)"
}

stop_worker() {
  local i="$1" dir="$base/node$1" id=""
  if node "$i" version >/dev/null 2>&1; then
    id="$(node "$i" info --format '{{.Swarm.NodeID}}' 2>/dev/null || true)"
    if [ "$(swarm_state -H "unix://$dir/docker.sock")" != inactive ]; then node "$i" swarm leave --force >/dev/null 2>&1 || log "worker $i: swarm leave failed"; fi
    node "$i" network rm docker_gwbridge >/dev/null 2>&1 || true
  fi
  # The manager forgets the node (it is "down" once it left).
  if [ -n "$id" ] && [ "$(main info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = true ]; then
    main node rm --force "$id" >/dev/null 2>&1 || true
  fi
  if alive "$dir/dockerd.pid"; then
    local pid _
    pid="$(cat "$dir/dockerd.pid")"
    kill -TERM "$pid"
    for _ in $(seq 1 80); do alive "$dir/dockerd.pid" || break; sleep 0.25; done
    if alive "$dir/dockerd.pid"; then log "worker $i's dockerd ($pid) still runs after 20 s: killing it"; kill -KILL "$pid" || true; sleep 1; fi
  fi
  # Its containerd (started by that dockerd) goes with it; one left behind by a killed dockerd:
  if [ -s "$dir/exec/containerd/containerd.pid" ]; then
    local cpid
    cpid="$(cat "$dir/exec/containerd/containerd.pid")"
    if grep -qs "$dir/exec" "/proc/$cpid/cmdline" && alive "$dir/exec/containerd/containerd.pid"; then kill -TERM "$cpid" || true; sleep 1; fi
  fi
  # Network namespaces (ingress sandbox, "default") stay bind-mounted under the exec-root, and the
  # bridge stays in the host's namespace: both go before the folder.
  grep -F " $dir/" /proc/self/mounts | awk '{print $2}' | sort -r | while read -r mnt; do umount -l "$mnt" || true; done
  if [ -e "/sys/class/net/isobgw$i" ] && command -v ip >/dev/null; then ip link delete "isobgw$i" || true; fi
  rm -rf "$dir"
  log "worker $i stopped and removed"
}

up() {
  local n="$1"
  [[ "$n" =~ ^[2-9]$ ]] || die "up N: N is the number of nodes, manager included (2..9), not '$n'"
  [ -n "$(workers)" ] && die "workers are already up under $base (scripts/swarm-nodes.sh down first)"
  command -v dockerd >/dev/null || die "no dockerd (scripts/setup-engines.sh docker)"
  local state
  state="$(swarm_state)"
  mkdir -p "$base"
  case "$state" in
    inactive)
      if main network inspect docker_gwbridge >/dev/null 2>&1; then echo 1 >"$base/gwbridge-before"; else echo 0 >"$base/gwbridge-before"; fi
      main swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377 >/dev/null
      touch "$base/initialised"
      log "main engine: initialised a swarm on 127.0.0.1:2377 (left again by down)"
      ;;
    active)
      [ -e "$base/initialised" ] || { rmdir "$base" 2>/dev/null || true; die "the main engine is already in a swarm this script did not make: not adding workers to it"; }
      ;;
    *) rmdir "$base" 2>/dev/null || true; die "the main engine is in swarm state '$state'" ;;
  esac
  # Any failure (or Ctrl-C) from here on takes down what was started.
  trap 'rc=$?; if [ $rc != 0 ]; then log "up failed: taking everything down again"; down; fi' EXIT
  trap 'exit 130' INT TERM
  local token addr i
  token="$(main swarm join-token -q worker)"
  addr="127.0.0.1:2377"
  for i in $(seq 2 "$n"); do start_worker "$i" "$token" "$addr"; done
  trap - EXIT INT TERM
  endpoints
}

down() {
  local i
  for i in $(workers); do stop_worker "$i"; done
  if [ -e "$base/initialised" ]; then
    if [ "$(swarm_state)" = active ]; then
      local others
      others="$(main service ls -q 2>/dev/null | wc -l)"
      if [ "$others" -gt 0 ]; then log "main engine: $others service(s) still in the swarm: leaving anyway (it was made by up)"; fi
      main swarm leave --force >/dev/null
      log "main engine: left the swarm up had initialised"
    fi
    # swarm init made docker_gwbridge (the ingress sandbox may bring it back for a moment).
    if [ "$(cat "$base/gwbridge-before" 2>/dev/null || echo 1)" = 0 ]; then
      local _
      for _ in $(seq 1 20); do
        main network rm docker_gwbridge >/dev/null 2>&1 || true
        main network inspect docker_gwbridge >/dev/null 2>&1 || break
        sleep 0.25
      done
    fi
  fi
  rm -rf "$base"
}

[ "$(id -u)" = 0 ] || die "run as root (it starts dockerd)"
case "${1:-}" in
  up) up "${2:-3}" ;;
  down) down ;;
  endpoints) endpoints ;;
  *) die "usage: $0 up N | endpoints | down" ;;
esac
