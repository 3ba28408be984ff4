#!/usr/bin/env bash
# Makes a real Docker Engine reachable for the tests, and a small local image with a HEALTHCHECK.
#   docker-engine.sh up      use the daemon at DOCKER_HOST / the default socket; if none answers and we are
#                            root on Debian, install docker.io and start dockerd in the background (no systemd)
#   docker-engine.sh stop    stop a dockerd that this script started
#   docker-engine.sh restart stop and start again a dockerd that this script started, with the same flags
#                            (the Swarm tests' "engine restarts" case; fails when this script did not start it)
# No registry is reachable here, so the test image is static busybox FROM scratch, built locally.
# Last lines on stdout: DOCKER_HOST=... and DOCKER_TEST_IMAGE=...
set -euo pipefail
STATE=${DOCKER_ENGINE_STATE:-/tmp/compose-blueprint-dockerd}
SOCK=/var/run/docker.sock
IMAGE=${DOCKER_TEST_IMAGE:-compose-blueprint/busybox-health:1}
PIDFILE=$STATE/dockerd.pid
LOG=$STATE/dockerd.log
DOCKER=$(command -v docker || echo /usr/bin/docker)
[ -x /usr/bin/docker ] && DOCKER=/usr/bin/docker   # Debian's CLI matches Debian's daemon
export DOCKER_HOST=${DOCKER_HOST:-unix://$SOCK}
log() { printf '[docker-engine] %s\n' "$*" >&2; }
answers() { [ -x "$DOCKER" ] && timeout 10 "$DOCKER" version >/dev/null 2>&1; }
alive() { [ -n "${1:-}" ] && [ -r "/proc/$1/stat" ] && [ "$(awk '{print $3}' "/proc/$1/stat")" != Z ]; }
started_pid() { local p; [ -f "$PIDFILE" ] && p=$(cat "$PIDFILE") && alive "$p" && echo "$p"; }

stop() {
  local pid
  if pid=$(started_pid); then
    log "stopping dockerd $pid"
    kill -TERM "$pid"
    for _ in $(seq 1 120); do alive "$pid" || break; sleep 0.25; done
    alive "$pid" && kill -KILL "$pid"
    rm -f "$PIDFILE"
  fi
}

start() {
  mkdir -p "$STATE"
  # A dockerd killed hard can leave containerd's pidfile behind; the next start then waits for it forever.
  local cpf=/var/run/docker/containerd/containerd.pid
  if [ -f "$cpf" ] && ! alive "$(cat "$cpf" 2>/dev/null)"; then rm -f "$cpf"; fi
  [ -n "$(ls -A /sys/fs/cgroup 2>/dev/null)" ] || mount -t cgroup2 none /sys/fs/cgroup
  log "starting dockerd $*"
  printf '%s\n' "$*" >"$STATE/dockerd.args"
  setsid nohup /usr/sbin/dockerd --host "unix://$SOCK" --pidfile "$PIDFILE" "$@" >>"$LOG" 2>&1 </dev/null &
  for _ in $(seq 1 120); do answers && return 0; sleep 0.25; done
  tail -n 15 "$LOG" >&2
  stop || true
  return 1
}

case "${1:-up}" in
  stop) stop; exit 0 ;;
  restart)
    started_pid >/dev/null || { log "no dockerd started by this script to restart"; exit 1; }
    args=$(cat "$STATE/dockerd.args" 2>/dev/null || true)
    stop
    # shellcheck disable=SC2086 # the saved flags are words
    start $args || { log "dockerd did not start again; see $LOG"; exit 1; }
    echo "DOCKER_HOST=$DOCKER_HOST"; exit 0 ;;
  up) ;;
  *) echo "usage: $0 up|stop|restart" >&2; exit 2 ;;
esac

if ! answers; then
  if [ "$(id -u)" != 0 ] || [ ! -f /etc/debian_version ]; then
    log "no Docker daemon answers at $DOCKER_HOST, and this machine cannot start one (needs root on Debian)"; exit 1
  fi
  [ "$DOCKER_HOST" = "unix://$SOCK" ] || { log "DOCKER_HOST=$DOCKER_HOST does not answer"; exit 1; }
  bash "$(dirname "$0")/apt-install.sh" docker.io docker-compose busybox-static
  DOCKER=/usr/bin/docker
  start || start --storage-driver=vfs --iptables=false --ip6tables=false || { log "dockerd did not start; see $LOG"; exit 1; }
fi

if ! "$DOCKER" image inspect "$IMAGE" >/dev/null 2>&1; then
  bash "$(dirname "$0")/apt-install.sh" busybox-static
  ctx=$(mktemp -d)
  mkdir -p "$ctx/rootfs/bin" "$ctx/rootfs/etc" "$ctx/rootfs/tmp"
  cp /bin/busybox "$ctx/rootfs/bin/busybox"
  for a in $(/bin/busybox --list); do [ "$a" = busybox ] || ln -sf busybox "$ctx/rootfs/bin/$a"; done
  chmod 1777 "$ctx/rootfs/tmp"
  echo 'root:x:0:0:root:/root:/bin/sh' >"$ctx/rootfs/etc/passwd"
  echo 'root:x:0:' >"$ctx/rootfs/etc/group"
  cat >"$ctx/Dockerfile" <<'DOCKERFILE'
FROM scratch
COPY rootfs/ /
ENV PATH=/bin
# Healthy until /tmp/unhealthy exists: tests flip it with `docker exec C touch /tmp/unhealthy`.
HEALTHCHECK --interval=1s --timeout=2s --start-period=1s --retries=1 CMD ["/bin/sh","-c","test ! -f /tmp/unhealthy"]
CMD ["/bin/sh","-c","trap 'exit 0' TERM INT; while :; do sleep 1; done"]
DOCKERFILE
  DOCKER_BUILDKIT=0 "$DOCKER" build -q -t "$IMAGE" "$ctx" >/dev/null
  rm -rf "$ctx"
  log "built $IMAGE"
fi
echo "DOCKER_HOST=$DOCKER_HOST"
echo "DOCKER_TEST_IMAGE=$IMAGE"
