import type { BotTarget } from '../domain/agents.ts';
import type { Holiday, TimeRange, Weekday } from '../domain/business-hours.ts';
import type { ActionType, DidRoutingType, DirectDialPolicy, FinalDestinationType } from '../domain/destinations.ts';

/**
 * The published configuration of one organization: what the call controller reads.
 * Immutable once written (config_snapshots row); a call pins the version current when it
 * started, so a publish mid-call does not change that call.
 */
export interface ConfigSnapshot {
  schema: 1;
  orgId: string;
  orgName: string;
  /** SIP domain of the org's users: user/<ext>@<sipDomain>. */
  sipDomain: string;
  version: number;
  publishedAt: string;
  ivrs: Record<string, SnapshotIvr>;
  /** by 4-digit number */
  extensions: Record<string, SnapshotExtension>;
  /** by 4-digit number */
  queues: Record<string, SnapshotQueue>;
  /** by agent UUID */
  agents: Record<string, SnapshotAgent>;
  /** by E.164 number */
  dids: Record<string, SnapshotDid>;
  /**
   * Business-hours schedules (time_condition destinations), by id. Absent when the organization has none,
   * so an organization without schedules publishes the same content as before they existed.
   */
  schedules?: Record<string, SnapshotSchedule>;
}

/** A snapshot before publishing gives it a version and a time. */
export type DraftSnapshot = Omit<ConfigSnapshot, 'version' | 'publishedAt'>;

export interface SnapshotDestination<T extends string = string> {
  type: T;
  value: string | null;
}

export interface SnapshotIvr {
  id: string;
  name: string;
  extension: string;
  /** Absolute path of the greeting wav FreeSWITCH plays, or null (then a tone is played). */
  greetingFile: string | null;
  greetingText: string | null;
  /** seconds; 0 = wait forever */
  timeoutS: number;
  interDigitTimeoutS: number;
  maxRetries: number;
  /**
   * Timeouts, and invalid entries, each counted on its own: the menu ends when either count reaches
   * its limit. Always set by compile (timeout_retries / invalid_retries, or max_retries when null);
   * absent in snapshots published before the fields existed, where maxRetries applies.
   */
  maxTimeouts?: number;
  maxInvalids?: number;
  directDial: { policy: DirectDialPolicy; list: string[] };
  /** sound file path or null for the built-in prompt */
  timeoutPrompt: string | null;
  invalidPrompt: string | null;
  timeoutDestination: SnapshotDestination<FinalDestinationType> | null;
  invalidDestination: SnapshotDestination<FinalDestinationType> | null;
  /** by digit: 0-9 * # */
  options: Record<string, SnapshotMenuOption>;
}

export interface SnapshotMenuOption {
  digit: string;
  type: ActionType;
  value: string | null;
  description: string | null;
}

export interface SnapshotExtension {
  number: string;
  name: string;
  enabled: boolean;
  voicemailEnabled: boolean;
}

export interface SnapshotQueue {
  id: string;
  number: string;
  name: string;
  /** mod_callcenter queue name: <number>@<sipDomain> */
  fsName: string;
  maxWaitTime: number;
  /** mod_callcenter settings (always set by compile; optional only for hand-built fixtures). */
  strategy?: string;
  mohSound?: string;
  tierRulesApply?: boolean;
  discardAbandonedAfter?: number;
  /** Where a caller goes when maxWaitTime passes with no agent (null/absent: goodbye). */
  timeoutDestination?: SnapshotDestination<FinalDestinationType> | null;
  /** Tiers: the queue's agents by extension number, ordered by level then position. */
  agents?: SnapshotQueueAgent[];
}

export interface SnapshotQueueAgent {
  /** 4-digit extension number; the mod_callcenter agent is <extension>@<sipDomain>. */
  extension: string;
  level: number;
  position: number;
}

/** A published agent: what the bridge needs to reach it (src/domain/agents.ts), and where the call goes when it cannot. */
export interface SnapshotAgent extends BotTarget {
  id: string;
  fallback: SnapshotDestination<FinalDestinationType> | null;
}

export interface SnapshotDid {
  number: string;
  /** dids.id (always set by compile; written to live_dids). */
  didId?: string;
  routingType: DidRoutingType;
  destination: string | null;
}

/** A business-hours schedule: evaluated at call time by src/domain/business-hours.ts. */
export interface SnapshotSchedule {
  id: string;
  name: string;
  /** IANA zone, e.g. "America/New_York" */
  timezone: string;
  weekly: Record<Weekday, TimeRange[]>;
  holidays: Holiday[];
  open: SnapshotDestination<FinalDestinationType>;
  closed: SnapshotDestination<FinalDestinationType>;
}
