#!/usr/bin/env bash
# Generate a drizzle migration from src/db/schema (serialized with flock so parallel work can't collide).
#   scripts/db-generate.sh <name>
set -euo pipefail
cd "$(dirname "$0")/.."
exec 9>/tmp/switchboard-db-generate.lock
flock 9
npx drizzle-kit generate --name "${1:-change}"
