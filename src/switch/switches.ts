/**
 * The FreeSWITCH switches this controller serves, one inbound ESL client each (its own reconnect and
 * backoff). Whatever needs a switch asks this set: placing a call picks a connected one (switch-picker.ts),
 * a command for a call goes to the switch that has its channel (`owners`), and a call FreeSWITCH hands
 * to the outbound server is told apart by the Core-UUID in its connect headers (`identify`).
 *
 * A switch is known by the id it has in SWITCHES; its Core-UUID (one per FreeSWITCH process run) is
 * learned with `global_getvar core_uuid` after every connect and kept (a call may arrive from a switch
 * whose link is down).
 */
import type { InboundClient, InboundState } from '../esl/inbound-client.ts';
import { isUuid } from '../domain/destinations.ts';
import type { Logger } from '../runtime/logger.ts';

/** What the controller uses of one switch's inbound ESL client. */
export type SwitchClient = Pick<InboundClient, 'connected' | 'state' | 'api' | 'bgapi' | 'onEvent' | 'onState' | 'subscribe' | 'filter' | 'start' | 'close'>;

export interface SwitchLink {
  /** The id in SWITCHES (default host:port). */
  readonly id: string;
  readonly client: SwitchClient;
  readonly connected: boolean;
  /** The Core-UUID of the FreeSWITCH behind the link, learned at each connect; null until then. */
  readonly coreUuid: string | null;
}

export interface Switches {
  /** Every configured switch, in SWITCHES order. */
  readonly list: readonly SwitchLink[];
  get(id: string | null | undefined): SwitchLink | undefined;
  readonly anyConnected: boolean;
  /**
   * The switches that may have the channel of a call recorded on `switchId`: that one when it is a
   * configured switch, else every switch (a call whose switch could not be told, or one no longer listed).
   */
  owners(switchId: string | null | undefined): readonly SwitchLink[];
  /**
   * Which switch sent these event or connect headers: its Core-UUID, else a FreeSWITCH-Switchname equal to
   * a switch's id, else the only switch there is; null when none of these tells.
   */
  identify(headers: Readonly<Record<string, string | undefined>>): string | null;
  /** Told of every state change of every link. */
  onState(listener: (link: SwitchLink, state: InboundState) => void): () => void;
  start(): void;
  close(): Promise<void>;
}

export interface SwitchesOptions {
  readonly logger: Logger;
  readonly commandTimeoutMs?: number;
}

export function createSwitches(links: ReadonlyArray<{ id: string; client: SwitchClient }>, o: SwitchesOptions): Switches {
  const byCore = new Map<string, string>();
  const listeners = new Set<(link: SwitchLink, state: InboundState) => void>();
  const list: SwitchLink[] = links.map(({ id, client }) => {
    let coreUuid: string | null = null;
    const link: SwitchLink = {
      id,
      client,
      get connected() {
        return client.connected;
      },
      get coreUuid() {
        return coreUuid;
      },
    };
    client.onState((state) => {
      if (state === 'connected') {
        // A restarted FreeSWITCH has a new Core-UUID: learn it on every connect.
        void client.api('global_getvar core_uuid', { timeoutMs: o.commandTimeoutMs }).then(
          (r) => {
            const value = r.text.trim().toLowerCase();
            if (!isUuid(value)) return o.logger.warn({ switch: id, value }, 'global_getvar core_uuid: not a uuid');
            coreUuid = value;
            byCore.set(value, id);
          },
          (err: unknown) => o.logger.warn({ err, switch: id }, 'could not read the switch\'s core_uuid'),
        );
      }
      for (const l of [...listeners]) {
        try {
          l(link, state);
        } catch (err) {
          o.logger.error({ err, switch: id }, 'a switch state listener failed');
        }
      }
    });
    return link;
  });
  const byId = new Map(list.map((l) => [l.id, l]));
  const ids = new Set(byId.keys());

  return {
    list,
    get: (id) => (id ? byId.get(id) : undefined),
    get anyConnected() {
      return list.some((l) => l.connected);
    },
    owners(switchId) {
      const one = switchId ? byId.get(switchId) : undefined;
      return one ? [one] : list;
    },
    identify(headers) {
      const core = headers['Core-UUID']?.toLowerCase();
      const known = core ? byCore.get(core) : undefined;
      if (known) return known;
      const name = headers['FreeSWITCH-Switchname'];
      if (name && ids.has(name)) return name;
      return list.length === 1 ? list[0]!.id : null;
    },
    onState(listener) {
      listeners.add(listener);
      return () => void listeners.delete(listener);
    },
    start() {
      for (const l of list) l.client.start();
    },
    async close() {
      await Promise.allSettled(list.map((l) => l.client.close()));
    },
  };
}
