#!/usr/bin/env bash
# Builds the FreeSWITCH image (deploy/freeswitch/Dockerfile) and proves it starts: a container on Docker's default
# bridge network (no host port bound), `fs_cli -x status` inside it until FreeSWITCH is ready, then removed.
#   scripts/docker/build-freeswitch-image.sh            compile upstream v1.10.12 + sofia-sip + spandsp (GitHub)
#   scripts/docker/build-freeswitch-image.sh prebuilt   install ../shared/freeswitch's build of the same (no GitHub)
# IMAGE (default switchboard-freeswitch:latest); BASE (default debian:bookworm-slim when here or pullable, else
# switchboard-debian:bookworm from scripts/docker/make-base-image.sh). Prints one line: OK or FAILED.
set -uo pipefail
cd "$(dirname "$0")/../.." || exit 1
from=${1:-source}
IMAGE=${IMAGE:-switchboard-freeswitch:latest}
SHARED=${SHARED_FREESWITCH:-../shared/freeswitch}
LOG=${LOG:-/tmp/switchboard-freeswitch-image.log}
: >"$LOG"
container=''
trap '[ -z "$container" ] || docker rm -f -v "$container" >/dev/null 2>&1' EXIT
failed() { echo "freeswitch image: FAILED $1: $2 (log: $LOG)"; exit 1; }
last_lines() { tail -n "${1:-4}" "$LOG" | tr -s '\n\t ' ' ' | cut -c1-600; }

case "$from" in
  source) ;;
  prebuilt)
    tarball=freeswitch-1.10.12-bookworm-amd64.tar.zst
    [ -f "deploy/freeswitch/downloads/$tarball" ] || cp "$SHARED/$tarball" deploy/freeswitch/downloads/ 2>>"$LOG" \
      || failed prebuilt "no $SHARED/$tarball to copy into deploy/freeswitch/downloads/"
    ;;
  *) failed usage "the argument is source or prebuilt, not '$from'" ;;
esac

base=${BASE:-}
if [ -z "$base" ]; then
  if docker image inspect debian:bookworm-slim >/dev/null 2>&1 || timeout 60 docker pull -q debian:bookworm-slim >>"$LOG" 2>&1; then
    base=debian:bookworm-slim
  else
    scripts/docker/make-base-image.sh >>"$LOG" 2>&1 || failed base-image "$(last_lines)"
    base=${DEBIAN_IMAGE:-switchboard-debian:bookworm}
  fi
fi

ts=$(date +%s)
DOCKER_BUILDKIT=${DOCKER_BUILDKIT:-0} docker build -f deploy/freeswitch/Dockerfile --build-arg BASE="$base" \
  --build-arg FREESWITCH_FROM="$from" -t "$IMAGE" . >>"$LOG" 2>&1 || failed build "$(last_lines)"
build_s=$(($(date +%s) - ts))
size=$(docker image inspect "$IMAGE" --format '{{.Size}}')

ts=$(date +%s)
container=switchboard-freeswitch-check-$$
docker run -d --name "$container" "$IMAGE" >>"$LOG" 2>&1 || { container=''; failed run "$(last_lines)"; }
status=''
for _ in $(seq 120); do
  status=$(docker exec "$container" fs_cli -x status 2>/dev/null | grep 'is ready')
  [ -z "$status" ] || break
  [ "$(docker inspect "$container" --format '{{.State.Running}}')" = true ] || break
  sleep 0.5
done
if [ -z "$status" ]; then
  docker logs "$container" >>"$LOG" 2>&1
  failed start "fs_cli -x status never said 'is ready': $(last_lines 3)"
fi
profiles=$(docker exec "$container" fs_cli -x 'sofia status' | awk '$2 == "profile" { printf "%s%s %s", sep, $1, $3; sep = ", " }')
echo "freeswitch image: OK: $IMAGE ($((size / 1000000)) MB, $from, base $base) built in ${build_s} s; ready in $(($(date +%s) - ts)) s: ${status# }; sofia: $profiles"
