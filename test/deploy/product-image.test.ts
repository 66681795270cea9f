/**
 * The product image (Dockerfile), the compose file and the CI container check, read as files: building and
 * running the image is scripts/docker/ci-check.sh's job (.ci/run runs it before the tests).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { REPO } from './helpers.ts';

const dockerfile = readFileSync(join(REPO, 'Dockerfile'), 'utf8');
const instructions = dockerfile.split('\n').filter((l) => /^[A-Z]+ /.test(l));

describe('Dockerfile', () => {
  it('builds FROM one BASE argument, the official Node 20 image unless told otherwise', () => {
    expect(instructions[0]).toBe('ARG BASE=node:20-bookworm-slim');
    const froms = instructions.filter((l) => l.startsWith('FROM '));
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f).toMatch(/^FROM \$\{BASE\}( AS \w+)?$/);
  });

  it('needs no registry beyond the base: no "# syntax=" frontend image', () => {
    expect(dockerfile).not.toMatch(/^# *syntax=/m);
  });

  it('runs dist/main.js as the non-root user node, data in the /data volume, with a /health check', () => {
    const runtime = instructions.slice(instructions.findLastIndex((l) => l.startsWith('FROM ')));
    expect(runtime).toContain('USER node');
    expect(runtime).toContain('VOLUME ["/data"]');
    expect(dockerfile).toMatch(/DATABASE_URL=file:\/data\/switchboard\.db/);
    expect(dockerfile).toMatch(/HEALTHCHECK [\s\S]*http:\/\/127\.0\.0\.1:8000\/health/);
    // The same command as `npm start`.
    const start = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { scripts: { start: string } }).scripts.start;
    const cmd = JSON.parse(runtime.find((l) => l.startsWith('CMD '))!.slice('CMD '.length)) as string[];
    expect(cmd.join(' ')).toBe(start);
  });
});

describe('compose.yaml', () => {
  const compose = readFileSync(join(REPO, 'compose.yaml'), 'utf8');
  /** The lines of one service (two-space indented key) up to the next. */
  const service = (name: string) => {
    const m = new RegExp(`^  ${name}:\\n((?:(?:    .*)?\\n)*)`, 'm').exec(compose);
    expect(m, name).not.toBeNull();
    return m![1]!;
  };

  it('starts the product, FreeSWITCH built from deploy/freeswitch, and the official PostgreSQL image', () => {
    expect(service('switchboard')).toContain('BASE: ${NODE_BASE_IMAGE:-node:20-bookworm-slim}');
    expect(service('freeswitch')).toContain('dockerfile: deploy/freeswitch/Dockerfile');
    expect(service('freeswitch')).toContain('./freeswitch-conf:/usr/local/share/switchboard/freeswitch-conf:ro');
    expect(service('postgres')).toMatch(/image: postgres:\d+/);
  });

  it('runs the product on the compose PostgreSQL once it is healthy, unless DATABASE_URL says otherwise; files in the shared volume', () => {
    const sb = service('switchboard');
    expect(sb).toContain('DATABASE_URL: ${DATABASE_URL:-postgres://switchboard@postgres:5432/switchboard}');
    // The password the postgres service is given, as PGPASSWORD (node-postgres reads it when the URL has none).
    expect(sb).toContain('PGPASSWORD: ${POSTGRES_PASSWORD:-change-me-postgres-password}');
    expect(service('postgres')).toContain('POSTGRES_PASSWORD: ${POSTGRES_PASSWORD:-change-me-postgres-password}');
    expect(service('postgres')).toContain('POSTGRES_USER: switchboard');
    expect(service('postgres')).toContain('POSTGRES_DB: switchboard');
    expect(sb).toMatch(/depends_on:\n\s+postgres:\n\s+condition: service_healthy/);
    expect(service('postgres')).toContain('healthcheck:');
    expect(sb).toContain('- data:/data');
    expect(service('freeswitch')).toContain('- data:/data');
  });

  it('gives both sides the same token and event-socket password, and points them at each other', () => {
    const sb = service('switchboard');
    const fs = service('freeswitch');
    for (const line of ['XML_CURL_TOKEN: ${XML_CURL_TOKEN:-change-me-xml-curl-token}']) {
      expect(sb).toContain(line);
      expect(fs).toContain(line);
    }
    expect(sb).toContain('ESL_INBOUND_PASSWORD: ${ESL_PASSWORD:-ClueCon}');
    expect(fs).toContain('ESL_PASSWORD: ${ESL_PASSWORD:-ClueCon}');
    expect(sb).toContain('ESL_INBOUND_HOST: freeswitch');
    expect(fs).toContain('SWITCHBOARD_CONTROLLER: switchboard:8084');
    expect(fs).toContain('SWITCHBOARD_API: http://switchboard:8000');
  });
});

describe('scripts/docker/ci-check.sh', () => {
  const tmp = mkdtempSync(join(tmpdir(), 'sb-ci-check-'));
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('says UNAVAILABLE with the reason, exit 2, when docker cannot run (not a silent pass)', () => {
    const r = spawnSync('bash', [join(REPO, 'scripts/docker/ci-check.sh')], {
      encoding: 'utf8',
      env: { PATH: process.env.PATH, DOCKER: join(tmp, 'no-docker'), DOCKER_CHECK_INSTALL: '0', DOCKER_CHECK_LOG: join(tmp, 'log') },
    });
    expect(r.status).toBe(2);
    expect(r.stdout).toBe(`docker check: UNAVAILABLE: ${join(tmp, 'no-docker')} is not installed (installing docker.io needs root and apt-get)\n`);
  });
});
