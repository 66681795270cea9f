#!/bin/sh
# Copies the repository's freeswitch-conf/ (SRC) to the configuration FreeSWITCH reads in the container (DST),
# with the addresses a container needs instead of the loopback ones, taken from the environment:
#
#   SWITCHBOARD_CONTROLLER       switchboard:8084   every "socket 127.0.0.1:8084 ..." of the dialplan
#   SWITCHBOARD_NEXT_CONTROLLER  (vars.xml's)       next_controller: a second controller instance
#   SWITCHBOARD_API              http://switchboard:8000   xml_curl_url (+ /freeswitch/xml-curl)
#   XML_CURL_TOKEN               (vars.xml's)       xml_curl_token; the product needs the same XML_CURL_TOKEN
#   ESL_LISTEN_IP / ESL_PASSWORD / ESL_ACL   0.0.0.0 / ClueCon / localnet.auto   inbound event socket (8021):
#                                                   localnet.auto = the container's own network
#   SIP_IP                       the container's address ($${local_ip_v4})   bind_ip: SIP and RTP listen there
#   EXTERNAL_IP                  SIP_IP             external_sip_ip and external_rtp_ip (SDP and Contact): the
#                                                   address phones and carriers reach, e.g. the host's
#   TRUNKS_ALLOW                 (none)             CIDRs, comma-separated, allowed on the trunks profile (5080)
#                                                   besides loopback: carriers, SIPp
#   RTP_PORT_MIN / RTP_PORT_MAX  (switch.conf's 16384 / 32768)   narrow to the published UDP range
#
# Every substitution must find what it replaces: if freeswitch-conf/ changes shape, this fails instead of
# starting a switch that still points at 127.0.0.1. Values are checked (no quotes, no XML).
set -eu
src=${1:?usage: render-conf.sh SRC DST}
dst=${2:?usage: render-conf.sh SRC DST}

fail() { echo "render-conf: $*" >&2; exit 1; }
check() { # NAME VALUE ERE WHAT
  printf '%s' "$2" | grep -Eqx "$3" || fail "$1='$2' is not $4"
}
replace() { # FILE ERE REPLACEMENT WHAT
  grep -Eq "$2" "$dst/$1" || fail "$4: nothing matches /$2/ in $1 (did freeswitch-conf change?)"
  sed -i -E "s|$2|$3|g" "$dst/$1"
}

[ -f "$src/freeswitch.xml" ] || fail "$src has no freeswitch.xml"
controller=${SWITCHBOARD_CONTROLLER:-switchboard:8084}
next_controller=${SWITCHBOARD_NEXT_CONTROLLER:-}
api=${SWITCHBOARD_API:-http://switchboard:8000}
token=${XML_CURL_TOKEN:-}
esl_listen_ip=${ESL_LISTEN_IP:-0.0.0.0}
esl_password=${ESL_PASSWORD:-ClueCon}
esl_acl=${ESL_ACL:-localnet.auto}
sip_ip=${SIP_IP:-'$${local_ip_v4}'}
external_ip=${EXTERNAL_IP:-$sip_ip}
trunks_allow=${TRUNKS_ALLOW:-}
rtp_min=${RTP_PORT_MIN:-}
rtp_max=${RTP_PORT_MAX:-}

# Every value is checked before anything is written.
host_port='[A-Za-z0-9_.-]+:[0-9]{1,5}'
ip='[0-9A-Fa-f.:]+|\$\$\{local_ip_v4\}'
check SWITCHBOARD_CONTROLLER "$controller" "$host_port" 'host:port'
[ -z "$next_controller" ] || check SWITCHBOARD_NEXT_CONTROLLER "$next_controller" "$host_port" 'host:port'
check SWITCHBOARD_API "$api" 'https?://[A-Za-z0-9_.-]+(:[0-9]{1,5})?' 'http(s)://host[:port]'
[ -z "$token" ] || check XML_CURL_TOKEN "$token" '[A-Za-z0-9_-]+' 'letters, digits, dash and underscore'
check ESL_LISTEN_IP "$esl_listen_ip" "$ip" 'an IP address'
check ESL_PASSWORD "$esl_password" '[A-Za-z0-9_.,:+=@%-]+' 'letters, digits and _.,:+=@%-'
check ESL_ACL "$esl_acl" '[A-Za-z0-9_.-]+' 'an ACL list name'
check SIP_IP "$sip_ip" "$ip" 'an IP address'
check EXTERNAL_IP "$external_ip" "$ip" 'an IP address'
[ -z "$trunks_allow" ] || check TRUNKS_ALLOW "$trunks_allow" '[0-9A-Fa-f.:/]+(,[0-9A-Fa-f.:/]+)*' 'comma-separated CIDRs'
[ -z "$rtp_min" ] || check RTP_PORT_MIN "$rtp_min" '[0-9]{4,5}' 'a port number'
[ -z "$rtp_max" ] || check RTP_PORT_MAX "$rtp_max" '[0-9]{4,5}' 'a port number'

mkdir -p "$dst"
find "$dst" -mindepth 1 -delete
cp -R "$src/." "$dst/"

replace dialplan/public.xml 'data="127\.0\.0\.1:8084 ' "data=\"$controller " 'SWITCHBOARD_CONTROLLER'
replace dialplan/default.xml 'data="127\.0\.0\.1:8084 ' "data=\"$controller " 'SWITCHBOARD_CONTROLLER'
replace vars.xml 'data="xml_curl_url=[^"]*"' "data=\"xml_curl_url=$api/freeswitch/xml-curl\"" 'SWITCHBOARD_API'
replace vars.xml 'data="bind_ip=[^"]*"' "data=\"bind_ip=$sip_ip\"" 'SIP_IP'
replace vars.xml 'data="external_sip_ip=[^"]*"' "data=\"external_sip_ip=$external_ip\"" 'EXTERNAL_IP'
replace vars.xml 'data="external_rtp_ip=[^"]*"' "data=\"external_rtp_ip=$external_ip\"" 'EXTERNAL_IP'
replace autoload_configs/event_socket.conf.xml 'name="listen-ip" value="[^"]*"' "name=\"listen-ip\" value=\"$esl_listen_ip\"" 'ESL_LISTEN_IP'
replace autoload_configs/event_socket.conf.xml 'name="password" value="[^"]*"' "name=\"password\" value=\"$esl_password\"" 'ESL_PASSWORD'
replace autoload_configs/event_socket.conf.xml 'name="apply-inbound-acl" value="[^"]*"' "name=\"apply-inbound-acl\" value=\"$esl_acl\"" 'ESL_ACL'
[ -z "$next_controller" ] \
  || replace vars.xml 'data="next_controller=[^"]*"' "data=\"next_controller=$next_controller\"" 'SWITCHBOARD_NEXT_CONTROLLER'
[ -z "$token" ] || replace vars.xml 'data="xml_curl_token=[^"]*"' "data=\"xml_curl_token=$token\"" 'XML_CURL_TOKEN'
if [ -n "$trunks_allow" ]; then
  nodes=''
  IFS=,
  for cidr in $trunks_allow; do nodes="$nodes\\n      <node type=\"allow\" cidr=\"$cidr\"/>"; done
  unset IFS
  replace autoload_configs/acl.conf.xml '(<list name="trunks" default="deny">)' "\\1$nodes" 'TRUNKS_ALLOW'
fi
[ -z "$rtp_min" ] || replace autoload_configs/switch.conf.xml 'name="rtp-start-port" value="[0-9]*"' "name=\"rtp-start-port\" value=\"$rtp_min\"" 'RTP_PORT_MIN'
[ -z "$rtp_max" ] || replace autoload_configs/switch.conf.xml 'name="rtp-end-port" value="[0-9]*"' "name=\"rtp-end-port\" value=\"$rtp_max\"" 'RTP_PORT_MAX'
echo "render-conf: $src -> $dst (controller $controller, API $api, SIP on $sip_ip)"
