import type { ConfigSnapshot, SnapshotIvr } from '../../src/publish/snapshot.ts';

/** A published snapshot for tests of the call layer. */
export function testSnapshot(over: Partial<ConfigSnapshot> = {}): ConfigSnapshot {
  return {
    schema: 1,
    orgId: 'org-1',
    orgName: 'Acme',
    sipDomain: 'acme.sip.local',
    version: 1,
    publishedAt: new Date(0).toISOString(),
    ivrs: {},
    extensions: {
      '1001': { number: '1001', name: 'Asha', enabled: true, voicemailEnabled: true },
      '1002': { number: '1002', name: 'Ravi', enabled: true, voicemailEnabled: false },
    },
    queues: {},
    agents: {},
    dids: {},
    ...over,
  } as ConfigSnapshot;
}

export function testIvr(id: string, over: Partial<SnapshotIvr> = {}): SnapshotIvr {
  return {
    id,
    name: `IVR ${id}`,
    extension: '7001',
    greetingFile: `/sounds/greeting_ivr_${id}.wav`,
    greetingText: null,
    timeoutS: 5,
    interDigitTimeoutS: 2,
    maxRetries: 3,
    directDial: { policy: 'disabled', list: [] },
    timeoutPrompt: null,
    invalidPrompt: null,
    timeoutDestination: null,
    invalidDestination: null,
    options: {},
    ...over,
  };
}
