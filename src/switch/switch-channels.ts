/**
 * The switch's channels, from one `show channels as delim |` per sweep. Measured on 1.10.12 with 303
 * channels up (FreeSWITCH CPU per command): `show channels as delim |` 1.6–1.7 ms (~5.5 µs per channel
 * listed), `show channels as json` 4.9–5.9 ms, `uuid_exists` 0.13–0.16 ms each. One listing a minute is
 * noise next to a call's 25–33 ms, answers for every open row at once, and is the only one of these
 * that also shows calls stuck in the `socket` app with no controller behind them.
 */
import { isUuid } from '../domain/destinations.ts';
import { EslCommandError } from '../esl/replies.ts';
import type { InboundClient } from '../esl/inbound-client.ts';
import type { SwitchLink } from './switches.ts';

export type ChannelQueryClient = Pick<InboundClient, 'api'>;

export interface SwitchChannel {
  readonly uuid: string;
  /** created_epoch (seconds). */
  readonly createdEpochS: number;
  /** Parked in the outbound `socket` app itself, no application of a controller running. */
  readonly inSocketApp: boolean;
}

/**
 * `show channels as delim |` on 1.10.12: a header line (`uuid|direction|created|created_epoch|name|…`),
 * one line per channel, a blank line and `N total.` (only `\n0 total.\n` when there is none). The first
 * four fields (uuid, direction, date, epoch) never hold a `|`; later ones (caller name…) may, so the
 * application is recognised by its `|socket|…|XML|` run rather than by column position. A caller name
 * that imitates it can only make a call without any call log look stuck, which is what such a call is.
 */
export function parseChannelList(body: string): Map<string, SwitchChannel> {
  const out = new Map<string, SwitchChannel>();
  for (const line of body.split('\n')) {
    const [uuid = '', , , epoch = ''] = line.split('|', 4);
    if (!isUuid(uuid)) continue;
    const u = uuid.toLowerCase();
    out.set(u, { uuid: u, createdEpochS: Number(epoch) || 0, inSocketApp: /\|socket\|[^|]*\|XML\|/.test(line) });
  }
  return out;
}

/** Every channel on the switch now. Throws the ESL error when the switch cannot say. */
export async function listChannels(client: ChannelQueryClient, timeoutMs?: number): Promise<Map<string, SwitchChannel>> {
  try {
    return parseChannelList((await client.api('show channels as delim |', { timeoutMs })).body);
  } catch (err) {
    // An empty answer is reported by the event socket as "-ERR no reply".
    if (err instanceof EslCommandError && err.reason.startsWith('no reply')) return new Map();
    throw err;
  }
}

/** Where a call's channel is: on one switch, gone from every switch that may have had it, or not known now. */
export type ChannelWhere = { readonly kind: 'on'; readonly link: SwitchLink } | { readonly kind: 'gone' } | { readonly kind: 'unknown' };

/**
 * `uuid_exists` on each connected switch of `owners` (Switches.owners of the call's switch id): `gone` only
 * when every owner is connected and answered false; a switch that is down or did not answer makes it
 * `unknown` (the call may still be up there).
 */
export async function locateChannel(owners: readonly SwitchLink[], uuid: string, timeoutMs?: number): Promise<ChannelWhere> {
  let unsure = false;
  for (const link of owners) {
    if (!link.connected) {
      unsure = true;
      continue;
    }
    try {
      if ((await link.client.api(`uuid_exists ${uuid}`, { timeoutMs })).text.trim() === 'true') return { kind: 'on', link };
    } catch {
      unsure = true;
    }
  }
  return unsure ? { kind: 'unknown' } : { kind: 'gone' };
}
