/**
 * What a destination can name in this organization (extensions, queues, IVRs, AI agents, business-hours
 * schedules), loaded together, and how a destination reads for a person ("Queue 5001 — Sales").
 */
import type { Api } from './api.ts';
import type { Agent, Destination, Extension, Ivr, Queue, Schedule } from './types.ts';

/** The destination types each place accepts, as the API validates them (GET /destination-types). */
export interface DestinationTypes {
  menu_option: string[];
  did: string[];
  final: string[];
}

export interface Catalog {
  types: DestinationTypes;
  extensions: Extension[];
  queues: Queue[];
  ivrs: Ivr[];
  agents: Agent[];
  schedules: Schedule[];
}

/** Loads every list the credential may read; a list it may not read is empty. */
export async function loadCatalog(api: Api, can: (permission: string) => boolean): Promise<Catalog> {
  const list = <T>(permission: string, path: string): Promise<T[]> => (can(permission) ? api.get<T[]>(path) : Promise.resolve([]));
  const [types, extensions, queues, ivrs, agents, schedules] = await Promise.all([
    api.get<DestinationTypes>('/destination-types'),
    list<Extension>('extension.read', '/extensions'),
    list<Queue>('queue.read', '/queues'),
    list<Ivr>('ivr.read', '/ivrs'),
    list<Agent>('agent.read', '/ai-agents'),
    list<Schedule>('schedule.read', '/business-hours'),
  ]);
  return { types, extensions, queues, ivrs, agents, schedules };
}

export const TYPE_LABELS: Record<string, string> = {
  extension: 'Extension', queue: 'Queue', ivr: 'Menu (IVR)', voicemail: 'Voicemail', hangup: 'Hang up', callback: 'Callback request',
  ai_agent: 'AI agent', external: 'External number', play_prompt: 'Play a prompt', repeat: 'Repeat the menu',
  time_condition: 'Business hours', intercom: 'Intercom',
};

/** A destination in words, with the name of what it points at (or a warning when that does not exist). */
export function describe(catalog: Catalog, d: Destination | null | undefined): string {
  if (!d) return 'Default (goodbye and hang up)';
  const label = TYPE_LABELS[d.type] ?? d.type;
  const v = d.value;
  if (v === null || v === '') return label;
  const named = (name: string | undefined) => (name === undefined ? `${label} ${v} (missing)` : `${label} ${name}`);
  switch (d.type) {
    case 'extension':
    case 'voicemail':
    case 'intercom': {
      const e = catalog.extensions.find((x) => x.number === v);
      return named(e && `${e.number} — ${e.name}`);
    }
    case 'queue': {
      const q = catalog.queues.find((x) => x.number === v);
      return named(q && `${q.number} — ${q.name}`);
    }
    case 'ivr':
      return named(catalog.ivrs.find((x) => x.id === v)?.name);
    case 'ai_agent':
      return /^wss?:\/\//i.test(v) ? `${label} ${v}` : named(catalog.agents.find((x) => x.id === v)?.name);
    case 'time_condition':
      return named(catalog.schedules.find((x) => x.id === v)?.name);
    default:
      return `${label} ${v}`;
  }
}
