#!/bin/sh
# FreeSWITCH container start: render the configuration from the repository's freeswitch-conf/ (render-conf.sh:
# addresses from the environment), point fs_cli at the event socket, run FreeSWITCH in the foreground.
#   docker run ... switchboard-freeswitch                 FreeSWITCH (extra arguments starting with "-" are added)
#   docker run ... switchboard-freeswitch fs_cli -x ...   any other command
set -eu
if [ $# -gt 0 ] && [ "${1#-}" = "$1" ]; then exec "$@"; fi

template=${SWITCHBOARD_FS_CONF:-/usr/local/share/switchboard/freeswitch-conf}
conf=/etc/freeswitch
render-conf.sh "$template" "$conf"

# fs_cli inside the container (and the health check): the event socket on this container's own address, which
# the default ESL_ACL (localnet.auto: this container's network) lets in; 127.0.0.1 is not in that list.
cli_host=${ESL_LISTEN_IP:-0.0.0.0}
if [ "$cli_host" = 0.0.0.0 ]; then cli_host=$(hostname -i 2>/dev/null | cut -d' ' -f1); fi
printf '[default]\nhost => %s\nport => 8021\npassword => %s\n' "${cli_host:-127.0.0.1}" "${ESL_PASSWORD:-ClueCon}" >"$HOME/.fs_cli_conf"

state=/var/lib/freeswitch
mkdir -p "$state/db" "$state/storage" "$state/cache" "$state/certs" "$state/sounds" /var/log/freeswitch \
  /run/freeswitch /tmp/freeswitch /data/recordings
# -nonat: no UPnP/NAT-PMP probing; -np: normal priority (no realtime scheduling for a non-root user);
# -c: in the foreground, the console log on stdout (docker logs).
exec freeswitch -nonat -np -c -conf "$conf" -log /var/log/freeswitch -db "$state/db" -run /run/freeswitch \
  -temp /tmp/freeswitch -cache "$state/cache" -storage "$state/storage" -recordings /data/recordings \
  -certs "$state/certs" -sounds "$state/sounds" "$@"
