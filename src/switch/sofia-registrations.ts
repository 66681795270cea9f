/**
 * Registrations from FreeSWITCH: `api sofia xmlstatus profile <profile> reg` over the inbound ESL link,
 * parsed once into typed rows. mod_sofia (1.10, mod_sofia.c show_reg_callback_xml) answers
 *
 *   <?xml version="1.0" encoding="ISO-8859-1"?>
 *   <profile>
 *     <registrations>
 *       <registration>
 *         <call-id>…</call-id> <user>1001@acme.sip.local</user> <contact>"1001" &lt;sip:1001@…&gt;</contact>
 *         <agent>…</agent> <status>Registered(UDP)(unknown) exp(2026-03-01 10:59:58) expsecs(3599)</status>
 *         <ping-status>…</ping-status> <host>…</host> <network-ip>…</network-ip> <network-port>…</network-port>
 *         <sip-auth-user>…</sip-auth-user> <sip-auth-realm>…</sip-auth-realm> <mwi-account>…</mwi-account>
 *       </registration>
 *     </registrations>
 *   </profile>
 *
 * (`show registrations` reads the core's registrations table, which carries no user agent and mixes every
 * profile; the sofia table is the one a REGISTER on the extensions profile writes.) `exp(...)` is
 * the switch's local time without a zone, so the expiry is computed from `expsecs` and our clock.
 * With several switches a phone may register on any of them: every connected switch is asked and the
 * answers are merged (a switch that fails is left out; all failing is a failure).
 */
import type { InboundClient } from '../esl/inbound-client.ts';
import type { Logger } from '../runtime/logger.ts';
import type { RegistrationInfo, RegistrationSource } from '../services/extensions/registrations.ts';

export interface SofiaRegistration {
  user: string;
  domain: string;
  contact: string;
  userAgent: string | null;
  status: string;
  /** Seconds until it lapses, as the switch computed it; null when absent. */
  expiresInS: number | null;
  networkIp: string | null;
  networkPort: string | null;
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (s: string) => s.replace(/&(amp|lt|gt|quot|apos|#\d+);/g, (_, e: string) => (e.startsWith('#') ? String.fromCharCode(Number(e.slice(1))) : ENTITIES[e]!));

function field(block: string, tag: string): string | null {
  const m = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`).exec(block);
  return m ? decode(m[1]!.trim()) : null;
}

/** Parses the reply; throws when it is not a registrations document (unknown profile, module not loaded). */
export function parseSofiaRegistrations(xml: string): SofiaRegistration[] {
  if (!/<registrations>[\s\S]*<\/registrations>|<registrations\/>/.test(xml)) {
    throw new Error(`sofia xmlstatus: no registrations in the reply: ${xml.slice(0, 120)}`);
  }
  const out: SofiaRegistration[] = [];
  for (const m of xml.matchAll(/<registration>([\s\S]*?)<\/registration>/g)) {
    const block = m[1]!;
    const [user = '', domain = ''] = (field(block, 'user') ?? '').split('@');
    const status = field(block, 'status') ?? '';
    const secs = /expsecs\((-?\d+)\)/.exec(status);
    out.push({
      user, domain: domain.toLowerCase(), contact: field(block, 'contact') ?? '', userAgent: field(block, 'agent') || null, status,
      expiresInS: secs ? Number(secs[1]) : null, networkIp: field(block, 'network-ip') || null, networkPort: field(block, 'network-port') || null,
    });
  }
  return out;
}

/** The contact URI inside `"1001" <sip:1001@10.0.0.5:5062>;expires=…`, or the text as it is. */
function contactUri(contact: string): string {
  return /<([^>]+)>/.exec(contact)?.[1] ?? contact;
}

export interface SofiaRegistrationOptions {
  /** Each switch's inbound ESL client. */
  switches: ReadonlyArray<Pick<InboundClient, 'api' | 'connected'>>;
  profile: string;
  /** How long one answer serves every domain's list (the command reads the whole profile). */
  cacheMs: number;
  timeoutMs: number;
  now: () => Date;
  logger: Logger;
}

/** A RegistrationSource over the switches: one command per switch per cache period, shared by concurrent requests. */
export function createSofiaRegistrationSource(o: SofiaRegistrationOptions): RegistrationSource {
  let cached: { at: number; rows: Promise<SofiaRegistration[]> } | undefined;
  const rows = (): Promise<SofiaRegistration[]> => {
    const now = o.now().getTime();
    if (cached && now - cached.at < o.cacheMs) return cached.rows;
    const up = o.switches.filter((s) => s.connected);
    if (up.length === 0) return Promise.reject(new Error('FreeSWITCH is not connected'));
    const pending = Promise.allSettled(
      up.map((s) => s.api(`sofia xmlstatus profile ${o.profile} reg`, { timeoutMs: o.timeoutMs }).then((r) => parseSofiaRegistrations(r.body))),
    ).then((answers) => {
      const ok = answers.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
      const failed = answers.flatMap((a) => (a.status === 'rejected' ? [a.reason as unknown] : []));
      if (ok.length === 0) throw failed[0];
      if (failed.length > 0) o.logger.warn({ err: failed[0], failed: failed.length }, 'a switch did not list its registrations; the others are shown');
      return ok.flat();
    });
    cached = { at: now, rows: pending };
    // A failure is not cached: the next request asks again.
    pending.catch((err: unknown) => {
      if (cached?.rows === pending) cached = undefined;
      o.logger.warn({ err }, 'reading registrations from FreeSWITCH failed');
    });
    return pending;
  };
  return {
    async registrations(sipDomain) {
      const domain = sipDomain.toLowerCase();
      const at = o.now().getTime();
      const byUser = new Map<string, RegistrationInfo & { lapses: number }>();
      for (const r of await rows()) {
        if (r.domain !== domain) continue;
        const lapses = r.expiresInS === null ? Number.POSITIVE_INFINITY : at + r.expiresInS * 1000;
        const seen = byUser.get(r.user);
        // Several phones on one extension: report the registration that lasts longest.
        if (seen && seen.lapses >= lapses) continue;
        byUser.set(r.user, { contact: contactUri(r.contact), expiresAt: Number.isFinite(lapses) ? new Date(lapses).toISOString() : null, userAgent: r.userAgent, lapses });
      }
      return new Map([...byUser].map(([user, { lapses: _l, ...info }]) => [user, info]));
    },
  };
}
