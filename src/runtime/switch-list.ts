/**
 * The FreeSWITCH switches this controller talks to over inbound ESL (pure: env.ts hands it the
 * variables). `SWITCHES` is a comma-separated list of `[id=]host[:port[:password]]`:
 *
 *   SWITCHES=fs1=10.0.0.5:8021:ClueCon,fs2=10.0.0.6
 *
 * port defaults to 8021, the password to ESL_INBOUND_PASSWORD (everything after the second colon, so it
 * may hold `:` but not `,`), the id to `host:port`. An IPv6 host is written in brackets (`[fd00::5]:8021`).
 * Without SWITCHES the one switch is ESL_INBOUND_HOST / ESL_INBOUND_PORT / ESL_INBOUND_PASSWORD.
 */

export interface SwitchConfig {
  /** The switch's name in call logs, /ready, /metrics and logs. */
  readonly id: string;
  readonly host: string;
  readonly port: number;
  readonly password: string;
}

export type SwitchListResult = { ok: true; switches: SwitchConfig[] } | { ok: false; errors: string[] };

const ID = /^[A-Za-z0-9_.-]{1,64}$/;

function parseEntry(entry: string, defaultPassword: string): SwitchConfig | string {
  const eq = entry.indexOf('=');
  const named = eq > 0 && !entry.slice(0, eq).includes(':') && !entry.startsWith('[');
  const id = named ? entry.slice(0, eq).trim() : null;
  const address = (named ? entry.slice(eq + 1) : entry).trim();
  if (id !== null && !ID.test(id)) return `"${entry}": the id may hold letters, digits, _ . - (at most 64)`;
  let host: string;
  let rest: string;
  if (address.startsWith('[')) {
    const close = address.indexOf(']');
    if (close < 0) return `"${entry}": an IPv6 host needs its closing ]`;
    host = address.slice(1, close);
    rest = address.slice(close + 1);
    if (rest !== '' && !rest.startsWith(':')) return `"${entry}": expected :port after ]`;
    rest = rest.slice(1);
  } else {
    const colon = address.indexOf(':');
    host = colon < 0 ? address : address.slice(0, colon);
    rest = colon < 0 ? '' : address.slice(colon + 1);
  }
  if (!host || /\s/.test(host)) return `"${entry}": no host`;
  const colon = rest.indexOf(':');
  const portText = colon < 0 ? rest : rest.slice(0, colon);
  const password = colon < 0 ? defaultPassword : rest.slice(colon + 1);
  const port = portText === '' ? 8021 : Number(portText);
  if (!/^\d*$/.test(portText) || !Number.isInteger(port) || port < 1 || port > 65535) return `"${entry}": the port must be 1-65535`;
  if (password === '') return `"${entry}": empty password`;
  const shown = host.includes(':') ? `[${host}]` : host;
  return { id: id ?? `${shown}:${port}`, host, port, password };
}

/** Parses SWITCHES; every bad entry and every repeated id is named. */
export function parseSwitchList(value: string, defaultPassword: string): SwitchListResult {
  const entries = value.split(',').map((e) => e.trim()).filter((e) => e !== '');
  if (entries.length === 0) return { ok: false, errors: ['no switch listed'] };
  const errors: string[] = [];
  const switches: SwitchConfig[] = [];
  for (const entry of entries) {
    const parsed = parseEntry(entry, defaultPassword);
    if (typeof parsed === 'string') errors.push(parsed);
    else if (switches.some((s) => s.id === parsed.id)) errors.push(`"${entry}": the id ${parsed.id} is used twice`);
    else switches.push(parsed);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, switches };
}

export interface SwitchListSettings {
  readonly SWITCHES?: string | undefined;
  readonly ESL_INBOUND_ENABLED: boolean;
  readonly ESL_INBOUND_HOST: string;
  readonly ESL_INBOUND_PORT: number;
  readonly ESL_INBOUND_PASSWORD: string;
}

/** The switches to connect to: SWITCHES, else the single ESL_INBOUND_* one; none when ESL_INBOUND_ENABLED is false. */
export function switchList(s: SwitchListSettings): SwitchConfig[] {
  if (!s.ESL_INBOUND_ENABLED) return [];
  if (s.SWITCHES !== undefined) {
    const parsed = parseSwitchList(s.SWITCHES, s.ESL_INBOUND_PASSWORD);
    // loadConfig validated it already; a config built another way fails here, loudly.
    if (!parsed.ok) throw new Error(`SWITCHES: ${parsed.errors.join('; ')}`);
    return parsed.switches;
  }
  const host = s.ESL_INBOUND_HOST.includes(':') ? `[${s.ESL_INBOUND_HOST}]` : s.ESL_INBOUND_HOST;
  return [{ id: `${host}:${s.ESL_INBOUND_PORT}`, host: s.ESL_INBOUND_HOST, port: s.ESL_INBOUND_PORT, password: s.ESL_INBOUND_PASSWORD }];
}

/**
 * SWITCH_MEDIA_IPS: `id=address[,id=address…]`, each switch's own address for the AI bridge's unicast
 * (where it receives the bot's audio) when the switches are on different hosts; a switch not listed uses
 * BOT_SWITCH_MEDIA_IP. `known` (the switch ids) makes an id that is not a switch an error.
 */
export function parseMediaIps(value: string, known?: ReadonlySet<string>): { ok: true; ips: Map<string, string> } | { ok: false; errors: string[] } {
  const ips = new Map<string, string>();
  const errors: string[] = [];
  for (const entry of value.split(',').map((e) => e.trim()).filter((e) => e !== '')) {
    const eq = entry.indexOf('=');
    const id = eq > 0 ? entry.slice(0, eq).trim() : '';
    const ip = eq > 0 ? entry.slice(eq + 1).trim() : '';
    if (!id || !ip || /\s/.test(ip)) errors.push(`"${entry}": expected id=address`);
    else if (ips.has(id)) errors.push(`"${entry}": ${id} is listed twice`);
    else if (known && !known.has(id)) errors.push(`"${entry}": ${id} is not a switch (SWITCHES ids: ${[...known].join(', ')})`);
    else ips.set(id, ip);
  }
  return errors.length > 0 ? { ok: false, errors } : { ok: true, ips };
}

/** Each switch's unicast address from SWITCH_MEDIA_IPS (validated by loadConfig); empty when unset. */
export function switchMediaIps(s: { readonly SWITCH_MEDIA_IPS?: string | undefined }): Map<string, string> {
  if (s.SWITCH_MEDIA_IPS === undefined) return new Map();
  const parsed = parseMediaIps(s.SWITCH_MEDIA_IPS);
  if (!parsed.ok) throw new Error(`SWITCH_MEDIA_IPS: ${parsed.errors.join('; ')}`);
  return parsed.ips;
}
