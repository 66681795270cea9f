# Switchboard: management API + call controller (outbound ESL server) in one image.
#   docker build -t switchboard .
#   docker build --build-arg BASE=switchboard-base:local -t switchboard .   (no registry: scripts/docker/make-base-image.sh)
#   docker run -p 8000:8000 -p 8084:8084 -v sb-data:/data switchboard
#   docker exec <container> node dist/cli.js list-orgs

# No "# syntax=" line: BuildKit would pull the dockerfile frontend image from a registry; the built-in one is enough.
# BASE: any Debian 12 image with Node 20 in /usr/local, a user "node" (uid 1000) and apt (the official one by default).
ARG BASE=node:20-bookworm-slim

# --- build stage: production dependencies only (better-sqlite3 compiles here) ---
FROM ${BASE} AS deps
WORKDIR /app
RUN apt-get update \
 && apt-get install -y --no-install-recommends python3 make g++ \
 && rm -rf /var/lib/apt/lists/*
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund

# --- compile stage: TypeScript → dist/ (the product runs as plain JavaScript) ---
FROM ${BASE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# Type-checking needs the dev dependencies' types, not the native addon: skip install scripts here.
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY scripts ./scripts
COPY src ./src
# The server, then the web console (src/console → dist/console).
RUN npm run build

# --- runtime stage: no compiler, non-root ---
FROM ${BASE}
# espeak-ng: offline text-to-speech for greetings; tini: signal handling as PID 1.
RUN apt-get update \
 && apt-get install -y --no-install-recommends espeak-ng tini \
 && rm -rf /var/lib/apt/lists/*
WORKDIR /app
# SQLite in the volume unless DATABASE_URL=postgres://… is given (then /data keeps greetings and recordings only).
ENV NODE_ENV=production \
    HTTP_HOST=0.0.0.0 \
    ESL_SERVER_HOST=0.0.0.0 \
    DATA_DIR=/data \
    DATABASE_URL=file:/data/switchboard.db \
    METADATA_SERVER_DETECTION=none
COPY --from=deps /app/node_modules ./node_modules
COPY package.json ./
COPY --from=build /app/dist ./dist
COPY db ./db
RUN mkdir -p /data && chown node:node /data
USER node
VOLUME ["/data"]
EXPOSE 8000 8084
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD node -e "fetch('http://127.0.0.1:8000/health').then(r=>process.exit(r.ok?0:1)).catch(()=>process.exit(1))"
ENTRYPOINT ["/usr/bin/tini", "--"]
# --max-semi-space-size: a young generation large enough that the garbage of calls waiting for keys is
# not collected in the middle of answering them (same flag as `npm start` and the call benchmarks).
CMD ["node", "--max-semi-space-size=64", "--enable-source-maps", "dist/main.js"]
