#!/usr/bin/env bash
# CI's container check: build the product image (Dockerfile), run it, wait until Docker calls it healthy (its
# HEALTHCHECK: GET /health inside the container), ask GET /health from outside on the container's own address
# (no host port is bound), remove the container. Prints ONE line and exits:
#   0  docker check: OK ...
#   1  docker check: FAILED <step>: <the error>       (the image does not build, start or answer)
#   2  docker check: UNAVAILABLE: <the error>         (docker cannot be installed or started on this machine)
# The details (apt, dockerd, build output, step times) go to $DOCKER_CHECK_LOG.
#
# As root on Debian it installs docker.io and debootstrap when missing (DOCKER_CHECK_INSTALL=0: never) and
# starts dockerd when nothing answers (stopped again at the end). The base image: $BASE if set, else
# node:20-bookworm-slim when it is here or can be pulled, else scripts/docker/make-base-image.sh builds
# switchboard-base:local from the Debian mirror and this machine's Node 20 (reused once built).
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1

LOG=${DOCKER_CHECK_LOG:-/tmp/switchboard-docker-check.log}
IMAGE=${DOCKER_CHECK_IMAGE:-switchboard:ci}
BUILD_TIMEOUT=${DOCKER_CHECK_BUILD_TIMEOUT:-600}
HEALTH_TIMEOUT=${DOCKER_CHECK_HEALTH_TIMEOUT:-90}
PUBLIC_BASE=node:20-bookworm-slim
: >"$LOG"
t0=$(date +%s)
container=''
started_dockerd=''

log() { echo "[$(($(date +%s) - t0))s] $*" >>"$LOG"; }
# The last lines of the log (or of a file), on one line: the error in the printed line.
last_lines() { tail -n "${2:-4}" "${1:-$LOG}" | tr -s '\n\t ' ' ' | cut -c1-600; }
cleanup() {
  [ -z "$container" ] || "$DOCKER" rm -f -v "$container" >/dev/null 2>&1
  if [ -n "$started_dockerd" ]; then
    kill "$started_dockerd" 2>/dev/null
    for _ in $(seq 20); do kill -0 "$started_dockerd" 2>/dev/null || break; sleep 0.5; done
  fi
}
trap cleanup EXIT
unavailable() { log "UNAVAILABLE: $*"; echo "docker check: UNAVAILABLE: $*"; exit 2; }
failed() { log "FAILED $1: $2"; echo "docker check: FAILED $1: $2 (log: $LOG)"; exit 1; }

# --- docker on this machine --------------------------------------------------------------------------------
DOCKER=${DOCKER:-}     # the client to use; unset: picked below
need=()
[ -n "$DOCKER" ] || command -v docker >/dev/null 2>&1 || need+=(docker.io)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
if [ ${#need[@]} -gt 0 ] && [ "${DOCKER_CHECK_INSTALL:-1}" != 0 ] && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
  log "apt-get install ${need[*]}"
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}"; } >>"$LOG" 2>&1 \
    || command -v docker >/dev/null 2>&1 || unavailable "apt-get install ${need[*]} failed: $(last_lines)"
fi
command -v "${DOCKER:-docker}" >/dev/null 2>&1 || unavailable "${DOCKER:-docker} is not installed (installing docker.io needs root and apt-get)"
# Debian's client speaks BuildKit itself; a newer client without the buildx plugin only has the legacy builder.
if [ -z "$DOCKER" ]; then
  DOCKER=docker
  if docker buildx version >/dev/null 2>&1; then
    export DOCKER_BUILDKIT=1
  elif [ -x /usr/bin/docker ] && [[ "$(/usr/bin/docker version --format '{{.Client.Version}}' 2>/dev/null)" =~ ^(1[0-9]|2[0-2])\. ]]; then
    DOCKER=/usr/bin/docker
    export DOCKER_BUILDKIT=1
  fi
fi
export DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0}

if ! "$DOCKER" info >/dev/null 2>&1; then
  command -v dockerd >/dev/null 2>&1 || unavailable "no docker daemon answers and dockerd is not installed: $("$DOCKER" info 2>&1 | tail -1)"
  [ "$(id -u)" = 0 ] || unavailable "no docker daemon answers and starting dockerd needs root: $("$DOCKER" info 2>&1 | tail -1)"
  log "starting dockerd"
  dockerd >>"$LOG.dockerd" 2>&1 &
  started_dockerd=$!
  for _ in $(seq 60); do
    "$DOCKER" info >/dev/null 2>&1 && break
    kill -0 "$started_dockerd" 2>/dev/null || break
    sleep 0.5
  done
  "$DOCKER" info >/dev/null 2>&1 || { started_dockerd=''; unavailable "dockerd did not start: $(last_lines "$LOG.dockerd" 3)"; }
fi
log "docker: client $("$DOCKER" version --format '{{.Client.Version}}' 2>/dev/null), server $("$DOCKER" version --format '{{.Server.Version}}' 2>/dev/null), DOCKER_BUILDKIT=$DOCKER_BUILDKIT"

# --- the base image ----------------------------------------------------------------------------------------
base=${BASE:-}
if [ -z "$base" ]; then
  if "$DOCKER" image inspect "$PUBLIC_BASE" >/dev/null 2>&1 || timeout 60 "$DOCKER" pull -q "$PUBLIC_BASE" >>"$LOG" 2>&1; then
    base=$PUBLIC_BASE
  else
    log "no $PUBLIC_BASE (pull failed): scripts/docker/make-base-image.sh"
    ts=$(date +%s)
    timeout "$BUILD_TIMEOUT" scripts/docker/make-base-image.sh >>"$LOG" 2>&1 || failed base-image "$(last_lines)"
    log "base image ready in $(($(date +%s) - ts)) s"
    base=${BASE_IMAGE:-switchboard-base:local}
  fi
fi

# --- build, run, ask /health -------------------------------------------------------------------------------
ts=$(date +%s)
progress=()
[ "$DOCKER_BUILDKIT" = 1 ] && progress=(--progress=plain)
log "docker build --build-arg BASE=$base -t $IMAGE ."
timeout "$BUILD_TIMEOUT" "$DOCKER" build "${progress[@]}" --build-arg BASE="$base" -t "$IMAGE" . >>"$LOG" 2>&1 \
  || failed build "$(last_lines)"
build_s=$(($(date +%s) - ts))
size=$("$DOCKER" image inspect "$IMAGE" --format '{{.Size}}' 2>/dev/null)
log "built $IMAGE in $build_s s, $((size / 1000000)) MB"

ts=$(date +%s)
container=switchboard-ci-check-$$
"$DOCKER" run -d --name "$container" --health-interval=2s --health-timeout=5s --health-retries=3 "$IMAGE" >>"$LOG" 2>&1 \
  || { container=''; failed run "$(last_lines)"; }
status=''
for _ in $(seq $((HEALTH_TIMEOUT * 2))); do
  status=$("$DOCKER" inspect "$container" --format '{{.State.Status}} {{.State.Health.Status}}' 2>/dev/null)
  case "$status" in
    'running healthy') break ;;
    running*) sleep 0.5 ;;
    *) break ;;
  esac
done
if [ "$status" != 'running healthy' ]; then
  "$DOCKER" logs "$container" >>"$LOG" 2>&1
  failed health "container is '$status' after $(($(date +%s) - ts)) s: $(last_lines "$LOG" 3)"
fi
health_s=$(($(date +%s) - ts))
ip=$("$DOCKER" inspect "$container" --format '{{range .NetworkSettings.Networks}}{{.IPAddress}}{{end}}')
body=$(node -e '
  fetch(process.argv[1], { signal: AbortSignal.timeout(5000) })
    .then(async (r) => { const t = await r.text(); if (!r.ok) throw new Error(`HTTP ${r.status}: ${t}`); console.log(t); })
    .catch((e) => { console.error(e.message); process.exit(1); });' "http://$ip:8000/health" 2>&1) \
  || failed health "GET http://$ip:8000/health: $body"
log "GET /health: $body"

user=$("$DOCKER" exec "$container" id -un 2>/dev/null)
echo "docker check: OK: $IMAGE ($((size / 1000000)) MB, base $base, runs as $user) built in ${build_s} s, healthy in ${health_s} s, GET /health answered $body; $(($(date +%s) - t0)) s in all"
