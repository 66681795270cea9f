#!/usr/bin/env bash
# The seed's "End-to-end example: create a working IVR" against a running server (npm start).
#   BASE=http://127.0.0.1:8000 EMAIL=admin@example.com PASSWORD=... scripts/seed-example.sh
# Creates the prerequisites the example assumes (queues 5001/5002 with an agent, the number
# +918065978001 in the organization), then runs steps 0–6 and prints each answer.
set -euo pipefail
BASE=${BASE:-http://127.0.0.1:8000}
: "${EMAIL:?set EMAIL}" "${PASSWORD:?set PASSWORD}"
json() { node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{const v=JSON.parse(s);const p=process.argv[1].split(".");let x=v;for(const k of p){x=x?.[k]}process.stdout.write(String(x??""))})' "$1"; }
req() { local m=$1 p=$2; shift 2; curl -sS -X "$m" "$BASE$p" -H "Authorization: Bearer $JWT" -H 'Content-Type: application/json' "$@"; echo; }

echo "# Step 0: log in"
LOGIN=$(curl -sS -X POST "$BASE/api/v1/auth/user-login" -H 'Content-Type: application/json' -d "{\"email\":\"$EMAIL\",\"password\":\"$PASSWORD\"}")
echo "$LOGIN"; JWT=$(echo "$LOGIN" | json token)

echo "# Prerequisites: an agent extension, queues 5001/5002, the DID"
req POST /api/v1/extensions -d '{"number":"1001","name":"Agent"}' >/dev/null || true
req POST /api/v1/queues -d '{"number":"5001","name":"Sales","agents":[{"extension":"1001"}]}' >/dev/null || true
req POST /api/v1/queues -d '{"number":"5002","name":"Support","agents":[{"extension":"1001"}]}' >/dev/null || true
req POST /api/v1/dids -d '{"number":"+918065978001","description":"Main line","assign":true}' >/dev/null || true

echo "# Step 1: create the IVR"
IVR=$(req POST /api/v1/ivrs -d '{"name":"Main Menu","extension":"7001","description":"Primary reception IVR","timeout":10,"max_retries":3,"enable_direct_dial":false,"greeting_language":"en-IN","greeting_voice":"en-IN-Wavenet-D"}')
echo "$IVR"; ID=$(echo "$IVR" | json id)

echo "# Step 2: generate the greeting"
req POST "/api/v1/ivrs/$ID/generate-greeting" -d '{"text":"Welcome to Acme. Press 1 for sales, 2 for support.","language":"en-IN","voice":"en-IN-Wavenet-D"}'

echo "# Step 3: set the menu"
req PUT "/api/v1/ivrs/$ID/menu" -d '{"options":[{"digit":"1","action_type":"queue","action_destination":"5001","description":"Sales"},{"digit":"2","action_type":"queue","action_destination":"5002","description":"Support"}]}'

echo "# Step 4: publish"
req POST "/api/v1/ivrs/$ID/publish"

echo "# Step 5: find the DID and route it to the IVR by UUID"
DIDS=$(req GET /api/v1/dids); echo "$DIDS"
DID=$(echo "$DIDS" | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>process.stdout.write(JSON.parse(s).find(d=>d.number==="+918065978001").id))')
req PUT "/api/v1/dids/$DID" -d "{\"routing_type\":\"ivr\",\"routing_destination\":\"$ID\"}"

echo "# Step 6: verify"
req GET "/api/v1/ivrs/$ID"
curl -sS -o greeting.wav -w 'greeting-audio: HTTP %{http_code}, %{size_download} bytes, %{content_type}\n' "$BASE/api/v1/ivrs/$ID/greeting-audio?token=$JWT"
