import { z } from 'zod';
import { parseMediaIps, parseSwitchList, switchList } from './switch-list.ts';

/**
 * The one place that reads the environment. Everything has a default so that
 * `npm start` works on a fresh machine: SQLite under ./data, API on :8000,
 * outbound ESL server on 127.0.0.1:8084, inbound ESL client to 127.0.0.1:8021,
 * offline text-to-speech.
 */
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const POSTGRES_URL = /^postgres(ql)?:\/\//i;

const port = z.coerce.number().int().min(0).max(65535);

export const configSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),

  HTTP_HOST: z.string().default('127.0.0.1'),
  HTTP_PORT: port.default(8000),
  /** Public base URL of the API, used in links (recordings, xml_curl). */
  PUBLIC_URL: z.string().url().optional(),
  /** The built web console (HTML, CSS, JS) served at /console/; default dist/console of this checkout. */
  CONSOLE_DIR: z.string().optional(),
  /** How often GET /api/v1/live-calls/stream re-sends the whole list (calls on other instances, and a keep-alive). */
  LIVE_CALLS_REFRESH_MS: z.coerce.number().int().min(250).max(60_000).default(5_000),
  /** Largest accepted request body, in bytes. */
  BODY_LIMIT_BYTES: z.coerce.number().int().positive().default(1_048_576),

  /**
   * SQLite (`file:<path>`, a bare path, `:memory:`; the default) or PostgreSQL (`postgres://…` /
   * `postgresql://…`). Any other scheme is refused by name instead of becoming a file called "mysql:".
   */
  DATABASE_URL: z
    .string()
    .default('file:./data/switchboard.db')
    .refine((u) => u.startsWith('file:') || POSTGRES_URL.test(u) || !/^[a-z][a-z0-9+.-]*:\/\//i.test(u), {
      message: 'SQLite (file:<path> or a path) or PostgreSQL (postgres://user:password@host:port/database) only',
    }),
  /** PostgreSQL only: connections this instance's pool opens at most (a transaction holds one until it ends). */
  DATABASE_POOL_MAX: z.coerce.number().int().min(1).max(1000).default(10),
  DATA_DIR: z.string().default('./data'),
  /** Where greeting wav files are written; FreeSWITCH must be able to read this path. */
  SOUNDS_DIR: z.string().optional(),

  JWT_SECRET: z.string().min(16).optional(),
  JWT_TTL_SECONDS: z.coerce.number().int().positive().default(86_400),
  /** How long an instance may reuse a user's row (role, org) for a valid JWT; 0 = look it up on every request. */
  AUTH_USER_CACHE_MS: z.coerce.number().int().min(0).max(60_000).default(1000),
  /** Printed once on first start when no user exists yet. */
  BOOTSTRAP_ADMIN_EMAIL: z.string().email().default('admin@example.com'),
  BOOTSTRAP_ADMIN_PASSWORD: z.string().min(8).optional(),
  BOOTSTRAP_ORG_NAME: z.string().default('Default'),

  ESL_SERVER_HOST: z.string().default('127.0.0.1'),
  ESL_SERVER_PORT: port.default(8084),
  /**
   * host:port where FreeSWITCH reaches this controller for a call's second (async) socket. Default: the
   * address each call's first socket reached. Set it when that address is not reachable from the switch
   * (NAT, a proxy in front of several controllers): it must reach this same instance.
   */
  ESL_SELF_ENDPOINT: z.string().regex(/^[^\s:]+:\d+$/, 'host:port').optional(),
  ESL_INBOUND_HOST: z.string().default('127.0.0.1'),
  ESL_INBOUND_PORT: port.default(8021),
  ESL_INBOUND_PASSWORD: z.string().default('ClueCon'),
  ESL_INBOUND_ENABLED: bool.default(true),
  /**
   * Several switches: `[id=]host[:port[:password]]`, comma-separated (src/runtime/switch-list.ts). Unset: the one
   * switch of ESL_INBOUND_HOST / _PORT / _PASSWORD.
   */
  SWITCHES: z.string().optional().superRefine((v, ctx) => {
    if (v === undefined) return;
    const parsed = parseSwitchList(v, 'x');
    if (!parsed.ok) for (const message of parsed.errors) ctx.addIssue({ code: 'custom', message });
  }),
  /** Which connected switch a placed call goes to: the one with the fewest calls of this instance, or each in turn. */
  SWITCH_ORIGINATE_POLICY: z.enum(['least_calls', 'round_robin']).default('least_calls'),
  /** Write every call's ESL bytes to this folder (building emulator fixtures from the real switch). */
  ESL_CAPTURE_DIR: z.string().optional(),
  ESL_COMMAND_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),

  /**
   * Shared secret FreeSWITCH's mod_xml_curl sends as ?token=... When unset, xml_curl
   * answers only requests from 127.0.0.1 / ::1.
   */
  XML_CURL_TOKEN: z.string().min(16).optional(),
  /**
   * Bearer token GET /metrics requires (Authorization: Bearer <token>). When unset, /metrics answers only
   * requests from 127.0.0.1 / ::1 (a Prometheus on the same host, or a reverse proxy scraping from inside).
   */
  METRICS_TOKEN: z.string().min(16).optional(),

  /** Gateway used for external (PSTN) destinations: sofia/gateway/<name>/<number>. */
  EXTERNAL_GATEWAY: z.string().default('pstn'),
  DEFAULT_COUNTRY_CODE: z.string().regex(/^\d{1,3}$/).default('91'),
  /** The organization's timezone for dialer calling windows when a campaign names none (IANA). */
  DEFAULT_TIMEZONE: z.string().default('Asia/Kolkata'),
  /** How often the campaign dialer looks for due numbers (it also wakes when a call ends). */
  DIALER_TICK_MS: z.coerce.number().int().positive().default(1_000),
  /** Campaign calls this instance starts per second at most (keep the sum over instances below the switch's sessions-per-second). */
  DIALER_MAX_CPS: z.coerce.number().positive().default(20),
  /** On SIGTERM, how long calls in progress may go on (new ones go to the next controller) before the rest end. */
  DRAIN_TIMEOUT_MS: z.coerce.number().int().nonnegative().default(300_000),
  EXTENSION_RING_TIMEOUT_S: z.coerce.number().int().positive().default(30),

  /** Webhook delivery: per-attempt timeout, attempts before giving up, exponential backoff base/cap, outbox poll. */
  WEBHOOK_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).max(50).default(10),
  WEBHOOK_BACKOFF_BASE_MS: z.coerce.number().int().positive().default(2_000),
  WEBHOOK_BACKOFF_MAX_MS: z.coerce.number().int().positive().default(3_600_000),
  WEBHOOK_POLL_MS: z.coerce.number().int().positive().default(1_000),
  /** Placed calls: seconds each leg may ring; where bridged calls are recorded (FreeSWITCH writes there). */
  ORIGINATE_TIMEOUT_S: z.coerce.number().int().positive().default(30),
  RECORDINGS_DIR: z.string().optional(),
  CALL_RECORDING: bool.default(true),
  /** Longest voicemail message, in seconds (FreeSWITCH `record` stops there). */
  VOICEMAIL_MAX_SECONDS: z.coerce.number().int().min(5).max(3600).default(120),
  /** How long an inbound call waits for its caller's contact before it routes without one. */
  CONTACT_LOOKUP_TIMEOUT_MS: z.coerce.number().int().min(1).max(10_000).default(500),
  /** Language of text-to-speech templates created without one (BCP-47). */
  TTS_TEMPLATE_LANGUAGE: z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP-47 tag such as en-IN').default('en-IN'),
  SCHEDULER_POLL_MS: z.coerce.number().int().positive().default(1_000),
  /** Restart reconciliation (src/switch/reconcile.ts): periodic sweep (0 = only when the switch connects), and the age below which a call log is never closed. */
  /** How often agents whose expires_at passed are disabled (their extension too); several instances may run it. */
  AGENT_EXPIRY_CHECK_MS: z.coerce.number().int().positive().default(60_000),
  /** Sofia profile whose registrations GET /extensions reports, and how long one answer is reused. */
  SIP_REGISTRATION_PROFILE: z.string().regex(/^[A-Za-z0-9_.-]+$/).default('extensions'),
  REGISTRATION_CACHE_MS: z.coerce.number().int().min(0).default(3_000),
  REGISTRATION_TIMEOUT_MS: z.coerce.number().int().positive().default(1_500),
  RECONCILE_INTERVAL_MS: z.coerce.number().int().min(0).default(60_000),
  RECONCILE_GRACE_MS: z.coerce.number().int().min(0).default(10_000),
  /** A call whose switch cannot be asked stays open until the switch is back, or until it is this old (max_call_seconds: no call lasts longer). */
  RECONCILE_SWITCH_DOWN_MS: z.coerce.number().int().positive().default(14_400_000),

  /** AI bridge: UDP ports for unicast media, used in pairs (ours even, FreeSWITCH's odd). */
  BOT_UDP_PORT_MIN: port.default(40000),
  BOT_UDP_PORT_MAX: port.default(40999),
  /** Our address FreeSWITCH sends caller audio to (unicast remote-ip). */
  BOT_MEDIA_IP: z.string().default('127.0.0.1'),
  /** FreeSWITCH's address for unicast (local-ip): where it receives the bot's audio. */
  BOT_SWITCH_MEDIA_IP: z.string().default('127.0.0.1'),
  /** Per switch (`id=address,…`) when the switches are on different hosts; a switch not listed uses BOT_SWITCH_MEDIA_IP. */
  SWITCH_MEDIA_IPS: z.string().optional().superRefine((v, ctx) => {
    if (v === undefined) return;
    const parsed = parseMediaIps(v);
    if (!parsed.ok) for (const message of parsed.errors) ctx.addIssue({ code: 'custom', message });
  }),
  /** Most bot audio buffered ahead of the caller; the excess is dropped. */
  BOT_MAX_BUFFER_MS: z.coerce.number().int().min(200).default(30_000),
  /** A bot that sends nothing this long after `start` is treated as failed (fallback). */
  BOT_SILENCE_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),
  /** WebSocket ping to the bot every this long (0 = never); no pong within BOT_PING_TIMEOUT_MS = the bot failed. */
  BOT_PING_INTERVAL_MS: z.coerce.number().int().min(0).default(10_000),
  BOT_PING_TIMEOUT_MS: z.coerce.number().int().positive().default(5_000),

  /** auto: Google when credentials are set, else eSpeak NG as WebAssembly (an npm dependency), else the espeak-ng binary, else a tone. */
  TTS_ENGINE: z.enum(['auto', 'google', 'espeak-wasm', 'espeak', 'tone']).default('auto'),
  /** Path to a Google service-account JSON; Google TTS is used only when this is set. */
  GOOGLE_APPLICATION_CREDENTIALS: z.string().optional(),
  TTS_SAMPLE_RATE: z.coerce
    .number()
    .refine((v) => v === 8000 || v === 16000, 'must be 8000 or 16000')
    .default(8000),
});

export type Config = z.infer<typeof configSchema>;

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** Parse a config from an environment-like record. Throws ConfigError listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const cleaned: Record<string, string> = {};
  for (const [key, value] of Object.entries(env)) {
    if (value !== undefined && value !== '') cleaned[key] = value;
  }
  const parsed = configSchema.safeParse(cleaned);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
    throw new ConfigError(`Invalid configuration:\n  ${lines.join('\n  ')}`);
  }
  // A media address for a switch that is not one of SWITCHES is a typo that would never take effect.
  if (parsed.data.SWITCH_MEDIA_IPS !== undefined) {
    const ids = new Set(switchList(parsed.data).map((s) => s.id));
    const media = parseMediaIps(parsed.data.SWITCH_MEDIA_IPS, ids);
    if (!media.ok) throw new ConfigError(`Invalid configuration:\n  ${media.errors.map((e) => `SWITCH_MEDIA_IPS: ${e}`).join('\n  ')}`);
  }
  return parsed.data;
}

/** The database DATABASE_URL names, as src/db/open.ts opens it: PostgreSQL for postgres:// and postgresql://. */
type DatabaseTarget = { dialect: 'sqlite'; path: string } | { dialect: 'postgres'; url: string; poolMax: number };

export function databaseTarget(config: Pick<Config, 'DATABASE_URL' | 'DATABASE_POOL_MAX'>): DatabaseTarget {
  if (POSTGRES_URL.test(config.DATABASE_URL)) return { dialect: 'postgres', url: config.DATABASE_URL, poolMax: config.DATABASE_POOL_MAX };
  return { dialect: 'sqlite', path: sqlitePath(config) };
}

/** Resolve the SQLite file path from DATABASE_URL (file:... or a bare path, ':memory:' allowed). */
export function sqlitePath(config: Pick<Config, 'DATABASE_URL'>): string {
  const url = config.DATABASE_URL;
  if (POSTGRES_URL.test(url)) throw new Error('DATABASE_URL names a PostgreSQL database, not a SQLite file');
  if (url === ':memory:' || url === 'file::memory:') return ':memory:';
  return url.startsWith('file:') ? url.slice('file:'.length) : url;
}

export function soundsDir(config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR'>): string {
  return config.SOUNDS_DIR ?? `${config.DATA_DIR}/sounds`;
}

export function recordingsDir(config: Pick<Config, 'RECORDINGS_DIR' | 'DATA_DIR'>): string {
  return config.RECORDINGS_DIR ?? `${config.DATA_DIR}/recordings`;
}
