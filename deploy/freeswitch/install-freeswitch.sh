#!/bin/sh
# Puts FreeSWITCH 1.10.12 under /usr/local/freeswitch in the image's build stage, in one of two ways that give
# the same result (../shared/freeswitch/BUILD-NOTES.md: sources, commits, configure lines, module list, cleanup):
#   source    compile upstream v1.10.12, sofia-sip v1.13.17 and spandsp 0d2e6ac: GitHub's archive of each commit,
#             or downloads/<name>-<commit>.tar.gz when it is there (a copy made elsewhere, e.g. with git archive)
#   prebuilt  unpack downloads/freeswitch-1.10.12-bookworm-amd64.tar.zst (that build, packed; sha256 checked)
# Runs as root in a Debian 12 image with apt. JOBS: parallel make jobs (default: the CPUs).
set -eu
mode=${1:?usage: install-freeswitch.sh source|prebuilt}
here=$(cd "$(dirname "$0")" && pwd)
P=/usr/local/freeswitch
export DEBIAN_FRONTEND=noninteractive

SOFIA_SIP_COMMIT=6198851a610b7889c17e2d98fb84617bc1dd7aec    # freeswitch/sofia-sip, tag v1.13.17
SPANDSP_COMMIT=0d2e6ac65e0e8f53d652665a743015a88bf048d4      # freeswitch/spandsp, 2023-06-16
FREESWITCH_COMMIT=a88d069d6ffb74df797bcaf001f7e63181c07a09   # signalwire/freeswitch, tag v1.10.12
PREBUILT=freeswitch-1.10.12-bookworm-amd64.tar.zst
PREBUILT_SHA256=68da05780d189c039d177be6d4d064678ce06350c7aa6da2c5899ea021affc78
JOBS=${JOBS:-$(nproc)}

apt_install() {
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

# One commit's sources ($1 = owner/name, $2 = commit) unpacked into $3: downloads/<name>-<commit>.tar.gz if there,
# else GitHub's archive. The 4K test video of mod_fsv (not built) is left out.
fetch() {
  mkdir -p "$3"
  local_copy="$here/downloads/${1#*/}-$2.tar.gz"
  if [ -f "$local_copy" ]; then
    echo "install-freeswitch: $1 $2 from downloads/"
    tar -xzf "$local_copy" -C "$3" --strip-components=1 --wildcards --exclude='*/freeswitch-4k.yuv'
  else
    curl -fsSL --retry 3 "https://github.com/$1/archive/$2.tar.gz" \
      | tar -xz -C "$3" --strip-components=1 --wildcards --exclude='*/freeswitch-4k.yuv'
  fi
}

from_source() {
  apt_install ca-certificates curl file build-essential autoconf automake libtool libtool-bin pkg-config cmake \
    libssl-dev libcurl4-openssl-dev libpcre3-dev libspeex-dev libspeexdsp-dev libsqlite3-dev libedit-dev \
    libldns-dev libtiff-dev libsndfile1-dev libopus-dev uuid-dev zlib1g-dev libjpeg-dev yasm nasm libncurses-dev
  src=/tmp/fs-src
  fetch freeswitch/sofia-sip "$SOFIA_SIP_COMMIT" "$src/sofia-sip"
  fetch freeswitch/spandsp "$SPANDSP_COMMIT" "$src/spandsp"
  fetch signalwire/freeswitch "$FREESWITCH_COMMIT" "$src/freeswitch"

  export PKG_CONFIG_PATH="$P/lib/pkgconfig" LDFLAGS="-Wl,-rpath,$P/lib -L$P/lib" CPPFLAGS="-I$P/include"
  cd "$src/sofia-sip"
  ./bootstrap.sh
  ./configure --prefix="$P" --without-glib --disable-static
  make -j"$JOBS" && make install
  cd "$src/spandsp"
  ./bootstrap.sh
  ./configure --prefix="$P" --disable-static
  make -j"$JOBS" && make install
  cd "$src/freeswitch"
  ./bootstrap.sh -j
  cp "$here/modules.conf" modules.conf
  ./configure --prefix="$P" --disable-libvpx PKG_CONFIG_PATH="$PKG_CONFIG_PATH" LDFLAGS="$LDFLAGS" CPPFLAGS="$CPPFLAGS"
  make -j"$JOBS" && make install
  cd /
  rm -rf "$src"

  # The post-install cleanup of BUILD-NOTES.md: stripped ELFs, no headers, static or libtool archives, pkg-config
  # files, sofia-sip's developer scripts, fonts, htdocs or grammar (the empty folders stay: FreeSWITCH would
  # create them in the prefix at start-up).
  find "$P" -type f | while read -r f; do
    if file -b "$f" | grep -q '^ELF'; then strip --strip-unneeded "$f"; fi
  done
  rm -rf "$P/include" "$P/lib/pkgconfig" "$P/share/sofia-sip"
  find "$P" \( -name '*.a' -o -name '*.la' \) -delete
  for d in fonts htdocs grammar scripts; do rm -rf "${P:?}/share/freeswitch/$d"; mkdir -p "$P/share/freeswitch/$d"; done
}

from_prebuilt() {
  tarball="$here/downloads/$PREBUILT"
  if [ ! -f "$tarball" ]; then
    echo "install-freeswitch: deploy/freeswitch/downloads/$PREBUILT is missing (scripts/docker/build-freeswitch-image.sh prebuilt copies it from ../shared/freeswitch)" >&2
    exit 1
  fi
  echo "$PREBUILT_SHA256  $tarball" | sha256sum -c --quiet || { echo "install-freeswitch: $PREBUILT: sha256 mismatch" >&2; exit 1; }
  apt_install zstd
  zstd -dc "$tarball" | tar -x -C /
}

case "$mode" in
  source) from_source ;;
  prebuilt) from_prebuilt ;;
  *) echo "install-freeswitch: FREESWITCH_FROM must be source or prebuilt, not '$mode'" >&2; exit 1 ;;
esac

# Both ways end with the same prefix: the binaries and every module of modules.conf.
for f in bin/freeswitch bin/fs_cli; do [ -x "$P/$f" ] || { echo "install-freeswitch: $P/$f missing" >&2; exit 1; }; done
while read -r m; do
  [ -z "$m" ] || [ -f "$P/lib/freeswitch/mod/${m##*/}.so" ] || { echo "install-freeswitch: ${m##*/}.so missing" >&2; exit 1; }
done <"$here/modules.conf"
echo "install-freeswitch: FreeSWITCH 1.10.12 ($mode) in $P"
