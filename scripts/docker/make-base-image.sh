#!/usr/bin/env bash
# Builds a local stand-in for node:20-bookworm-slim on a machine that reaches the Debian mirror and the npm
# registry but no image registry (docker pull fails):
#   1. debootstrap a minimal Debian 12 (bookworm) and `docker import` it    -> switchboard-debian:bookworm
#   2. add this machine's Node 20 (node, npm, npx, corepack, the C headers) -> switchboard-base:local
# Then: docker build --build-arg BASE=switchboard-base:local -t switchboard .
#       docker build --build-arg BASE=switchboard-debian:bookworm -f deploy/freeswitch/Dockerfile ... (FreeSWITCH)
# Both images are reused when they exist (the Node one while its NODE_VERSION is this machine's); FORCE=1
# rebuilds them. Needs root, debootstrap and a running docker daemon.
#
# Like the official image: node in /usr/local/bin, a user "node" (uid/gid 1000), no documentation, man pages
# or translations (also for later apt-get installs), apt sources bookworm, bookworm-updates and
# bookworm-security. Unlike it: the C headers are in /usr/local/include/node and npm's global config says
# nodedir=/usr/local, so native addons (better-sqlite3) compile without downloading headers from nodejs.org;
# the CA certificates this machine adds to Debian's (/usr/local/share/ca-certificates, e.g. a proxy's) are
# trusted in the image too, and npm uses the system store (cafile).
set -euo pipefail

BASE_IMAGE=${BASE_IMAGE:-switchboard-base:local}
DEBIAN_IMAGE=${DEBIAN_IMAGE:-switchboard-debian:bookworm}
DEBIAN_MIRROR=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
DEBIAN_SECURITY_MIRROR=${DEBIAN_SECURITY_MIRROR:-http://deb.debian.org/debian-security}
FORCE=${FORCE:-0}

die() { echo "make-base-image: $*" >&2; exit 1; }
command -v docker >/dev/null || die "docker not found"
docker info >/dev/null 2>&1 || die "the docker daemon does not answer (docker info)"
command -v node >/dev/null || die "node not found: this script copies this machine's Node 20 into the image"

node_bin=$(readlink -f "$(command -v node)")
node_version=$("$node_bin" -p 'process.versions.node')
[ "${node_version%%.*}" = 20 ] || die "this machine's node is v$node_version; the image must have Node 20"
node_prefix=$(dirname "$(dirname "$node_bin")")            # /usr for Debian/NodeSource packages, /usr/local for nodejs.org builds
node_modules=$node_prefix/lib/node_modules
[ -f "$node_modules/npm/bin/npm-cli.js" ] || die "npm not found in $node_modules/npm"
[ -f "$node_prefix/include/node/node_version.h" ] || die "Node's C headers not found in $node_prefix/include/node"

image_has() { docker image inspect "$1" >/dev/null 2>&1; }
image_env() { docker image inspect "$1" --format '{{range .Config.Env}}{{println .}}{{end}}' 2>/dev/null; }

if [ "$FORCE" != 1 ] && image_env "$BASE_IMAGE" | grep -qx "NODE_VERSION=$node_version"; then
  echo "make-base-image: $BASE_IMAGE (Node $node_version) already there"
  exit 0
fi

work=$(mktemp -d /tmp/switchboard-base.XXXXXX)
root=$work/rootfs
in_memory=0
cleanup() {
  if [ "$in_memory" = 1 ]; then umount "$root" 2>/dev/null || umount -l "$root"; fi
  rm -rf "$work"
}
trap cleanup EXIT

# --- 1. Debian 12 minbase ---------------------------------------------------------------------------------
if [ "$FORCE" = 1 ] || ! image_has "$DEBIAN_IMAGE"; then
  command -v debootstrap >/dev/null || die "debootstrap not found (apt-get install debootstrap)"
  mkdir -p "$root"
  # dpkg syncs every file it unpacks: in memory that costs nothing (debootstrap here: 67 s instead of 111 s).
  if mount -t tmpfs -o size=2g,mode=0755 tmpfs "$root" 2>/dev/null; then in_memory=1; fi
  echo "make-base-image: debootstrap bookworm from $DEBIAN_MIRROR"
  debootstrap --variant=minbase --include=ca-certificates bookworm "$root" "$DEBIAN_MIRROR" >"$work/debootstrap.log" 2>&1 \
    || { tail -20 "$work/debootstrap.log" >&2; die "debootstrap failed"; }

  cat >"$root/etc/dpkg/dpkg.cfg.d/docker-slim" <<'SLIM'
# No documentation, man pages or translations (as in debian:bookworm-slim); copyright files stay.
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/man/*
path-exclude /usr/share/info/*
path-exclude /usr/share/groff/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
SLIM
  find "$root/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  rm -rf "$root"/usr/share/{man,info,groff,lintian,locale}/*
  printf 'APT::Install-Recommends "false";\n' >"$root/etc/apt/apt.conf.d/90-no-recommends"

  cat >"$root/etc/apt/sources.list" <<SOURCES
deb $DEBIAN_MIRROR bookworm main
deb $DEBIAN_MIRROR bookworm-updates main
deb $DEBIAN_SECURITY_MIRROR bookworm-security main
SOURCES

  if compgen -G '/usr/local/share/ca-certificates/*.crt' >/dev/null; then
    cp /usr/local/share/ca-certificates/*.crt "$root/usr/local/share/ca-certificates/"
    chroot "$root" update-ca-certificates >/dev/null 2>&1 || die "update-ca-certificates failed in the new root"
  fi

  rm -rf "$root"/var/lib/apt/lists/* "$root"/var/cache/apt/* "$root"/var/log/* "$root"/tmp/* "$root"/root/.cache
  : >"$root/etc/machine-id"
  echo "make-base-image: docker import -> $DEBIAN_IMAGE"
  tar -C "$root" --numeric-owner -c . \
    | docker import --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' --change 'CMD ["bash"]' - "$DEBIAN_IMAGE" >/dev/null
fi

# --- 2. Node 20 on top ------------------------------------------------------------------------------------
ctx=$work/node
mkdir -p "$ctx/usr/local/bin" "$ctx/usr/local/lib/node_modules" "$ctx/usr/local/include" "$ctx/usr/local/etc"
cp "$node_bin" "$ctx/usr/local/bin/node"
cp -a "$node_modules/npm" "$ctx/usr/local/lib/node_modules/"
ln -s ../lib/node_modules/npm/bin/npm-cli.js "$ctx/usr/local/bin/npm"
ln -s ../lib/node_modules/npm/bin/npx-cli.js "$ctx/usr/local/bin/npx"
if [ -d "$node_modules/corepack" ]; then
  cp -a "$node_modules/corepack" "$ctx/usr/local/lib/node_modules/"
  ln -s ../lib/node_modules/corepack/dist/corepack.js "$ctx/usr/local/bin/corepack"
fi
cp -a "$node_prefix/include/node" "$ctx/usr/local/include/"
printf 'nodedir=/usr/local\ncafile=/etc/ssl/certs/ca-certificates.crt\n' >"$ctx/usr/local/etc/npmrc"

cat >"$ctx/Dockerfile" <<DOCKERFILE
FROM $DEBIAN_IMAGE
COPY usr/local /usr/local/
RUN groupadd --gid 1000 node \\
 && useradd --uid 1000 --gid node --shell /bin/bash --create-home node \\
 && node --version && npm --version
ENV NODE_VERSION=$node_version
CMD ["node"]
DOCKERFILE
echo "make-base-image: Node $node_version from $node_prefix -> $BASE_IMAGE"
DOCKER_BUILDKIT=0 docker build -q -t "$BASE_IMAGE" "$ctx" >/dev/null 2>"$work/build.log" \
  || { cat "$work/build.log" >&2; die "docker build of $BASE_IMAGE failed"; }
docker image ls --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "^($DEBIAN_IMAGE|$BASE_IMAGE) " || true
