#!/usr/bin/env bash
# Runs every Switchboard SIPp scenario against FreeSWITCH on this machine.
#
# Needs: FreeSWITCH with freeswitch-conf/ (trunks 127.0.0.1:5080, extensions 127.0.0.1:5060),
# the controller on 127.0.0.1:8084 and the API on 127.0.0.1:8000, a demo IVR on DID and an
# extension EXT (with SIP password EXT_PASSWORD) in the organization whose SIP domain is
# SIP_DOMAIN. Needs sipp (Debian: apt-get install -y sip-tester).
#
# Environment (defaults in brackets):
#   FS_HOST [127.0.0.1]  TRUNKS_PORT [5080]  EXTENSIONS_PORT [5060]
#   DID [1000]  EXT [1001]  EXT_PASSWORD (required for the extension part)  SIP_DOMAIN [127.0.0.1]
#   EXT_PORT [5090]  (where the answering extension listens)
#   LOAD_CALLS [20]  LOAD_RATE [2]  LOAD_LIMIT [10]
# Exit code: 0 when every scenario passed, 1 otherwise. Logs and SIPp error traces go to
# OUT_DIR [./sipp-results-<time>].
set -u

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
FS_HOST="${FS_HOST:-127.0.0.1}"
TRUNKS_PORT="${TRUNKS_PORT:-5080}"
EXTENSIONS_PORT="${EXTENSIONS_PORT:-5060}"
DID="${DID:-1000}"
EXT="${EXT:-1001}"
EXT_PASSWORD="${EXT_PASSWORD:-}"
SIP_DOMAIN="${SIP_DOMAIN:-127.0.0.1}"
EXT_PORT="${EXT_PORT:-5090}"
LOAD_CALLS="${LOAD_CALLS:-20}"
LOAD_RATE="${LOAD_RATE:-2}"
LOAD_LIMIT="${LOAD_LIMIT:-10}"
OUT_DIR="${OUT_DIR:-$PWD/sipp-results-$(date +%Y%m%d-%H%M%S)}"

command -v sipp >/dev/null || { echo "sipp not found: apt-get install -y sip-tester" >&2; exit 1; }
mkdir -p "$OUT_DIR"
cd "$OUT_DIR" || exit 1

# Options every run shares: loopback only for SIP, media and SIPp's control socket; no
# keyboard; unexpected messages traced to <scenario>_<pid>_errors.log; a run that hangs fails.
common=(-i 127.0.0.1 -ci 127.0.0.1 -mi 127.0.0.1 -nostdin -trace_err -timeout 180s -timeout_error)

failures=0
uas_pid=""

cleanup() {
  if [ -n "$uas_pid" ] && kill -0 "$uas_pid" 2>/dev/null; then
    kill "$uas_pid" 2>/dev/null
    wait "$uas_pid" 2>/dev/null
  fi
}
trap cleanup EXIT

run() { # name, then the sipp arguments
  local name="$1"; shift
  echo "== $name"
  if sipp "$@" "${common[@]}" >"$name.log" 2>&1; then
    echo "   passed"
  else
    echo "   FAILED (exit $?), see $OUT_DIR/$name.log and *_errors.log"
    failures=$((failures + 1))
  fi
}

# 1. The extension: register it, then answer its calls (needed by option 1 of the demo IVR).
if [ -n "$EXT_PASSWORD" ]; then
  run register-extension "$FS_HOST:$EXTENSIONS_PORT" -sf "$here/uac-register-extension.xml" \
    -s "$EXT" -au "$EXT" -ap "$EXT_PASSWORD" -key sip_domain "$SIP_DOMAIN" -key contact_port "$EXT_PORT" \
    -p 5091 -cp 8891 -mp 6200 -m 1
  sipp -sf "$here/uas-answer-extension.xml" -s "$EXT" -p "$EXT_PORT" -cp 8890 -mp 6100 -rtp_echo \
    -i 127.0.0.1 -ci 127.0.0.1 -mi 127.0.0.1 -nostdin -trace_err >extension-uas.log 2>&1 &
  uas_pid=$!
  sleep 1
else
  echo "== EXT_PASSWORD not set: extension not registered; option 1 calls may fail"
fi

# 2. The caller scenarios, one call each, on the trunks profile.
uac=("$FS_HOST:$TRUNKS_PORT" -s "$DID" -p 5070 -cp 8888 -mp 6000 -m 1 -l 1)
run call-did-hangup     "${uac[@]}" -sf "$here/uac-call-did-hangup.xml"
run press-1-rfc2833     "${uac[@]}" -sf "$here/uac-press-1-rfc2833.xml"
run wait-out-timeouts   "${uac[@]}" -sf "$here/uac-wait-out-timeouts.xml"
run invalid-then-valid  "${uac[@]}" -sf "$here/uac-invalid-then-valid.xml"

# 3. Load: LOAD_CALLS calls, LOAD_RATE new calls per second, at most LOAD_LIMIT at once.
run load "$FS_HOST:$TRUNKS_PORT" -sf "$here/uac-load.xml" -s "$DID" -p 5070 -cp 8888 -mp 6000 \
  -m "$LOAD_CALLS" -r "$LOAD_RATE" -l "$LOAD_LIMIT"

echo
if [ "$failures" -eq 0 ]; then
  echo "all scenarios passed ($OUT_DIR)"
  exit 0
fi
echo "$failures scenario(s) failed ($OUT_DIR)"
exit 1
