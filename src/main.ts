import { serve } from '@hono/node-server';
import { loadConfig, sqlitePath } from './config/env.ts';
import { createLogger } from './logging/logger.ts';
import { openDatabase } from './db/client.ts';
import { createApp } from './api/app.ts';
import { createTtsEngine } from './tts/create.ts';
import { offlineSwitchControl } from './routing/switch-control.ts';
import { bootstrapAdmin, resolveJwtSecret } from './tenancy/organizations.ts';

/** Composition root: the only place that builds long-lived objects and wires them together. */
async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger(config);
  const database = openDatabase(sqlitePath(config));
  const { db } = database;

  const first = await bootstrapAdmin(db, {
    orgName: config.BOOTSTRAP_ORG_NAME,
    email: config.BOOTSTRAP_ADMIN_EMAIL,
    password: config.BOOTSTRAP_ADMIN_PASSWORD,
  });
  if (first) {
    process.stdout.write(
      `\n  First start: created organization "${first.orgName}" and admin user\n` +
        `    email:    ${first.email}\n    password: ${first.password}\n` +
        `  Log in with POST /auth/user-login. This password is shown only once.\n\n`,
    );
  }

  const app = createApp({
    config,
    logger,
    db,
    tts: createTtsEngine(config, logger),
    switchControl: offlineSwitchControl,
    jwtSecret: resolveJwtSecret(db, config.JWT_SECRET),
    health: () => ({ switchConnected: false, activeCalls: 0 }),
    now: () => new Date(),
  });

  const server = serve({ fetch: app.fetch, hostname: config.HTTP_HOST, port: config.HTTP_PORT }, (info) => {
    logger.info({ host: info.address, port: info.port }, 'management API listening');
  });

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    server.close(() => {
      database.close();
      process.exit(0);
    });
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((err: unknown) => {
  process.stderr.write(`fatal: ${err instanceof Error ? err.stack ?? err.message : String(err)}\n`);
  process.exit(1);
});
