import { addStep, type CallSession } from './session.ts';
import { PROMPTS } from './prompts.ts';
import type { SnapshotDid } from '../publish/snapshot.ts';
import { run, playThenHangup } from './media.ts';
import { runIvr } from './walker.ts';
import { finalDestination } from './final-destination.ts';
import { maskedBridge } from './bridging/masked-bridge.ts';

/** Route by the DID's published routing type. */
export async function routeDid(s: CallSession, did: SnapshotDid): Promise<void> {
  // A party of a live masking session on this DID reaches the other party, before any routing.
  const masked = s.masking;
  if (masked) {
    addStep(s, { step: 'did', number: did.number, routing: 'masking' });
    return maskedBridge(s, masked);
  }
  addStep(s, { step: 'did', number: did.number, routing: did.routingType });
  if (did.routingType === 'ivr') return runIvr(s, did.destination ?? '');
  const out = await finalDestination(s, { type: did.routingType, value: did.destination });
  if (out.next === 'ivr') await runIvr(s, out.ivrId);
}

/** What a carrier does for a number nobody owns: early-media SIT tone, then UNALLOCATED_NUMBER. */
export async function notInService(s: CallSession): Promise<void> {
  addStep(s, { step: 'did', number: s.did, routing: null });
  s.record.disposition = 'unallocated';
  s.stage = 'prompt';
  s.deps.logger.warn({ did: s.did, caller: s.caller }, 'call to a number that is not in service');
  await run(s, 'pre_answer', undefined, 10_000);
  await playThenHangup(s, PROMPTS.notInService, 'UNALLOCATED_NUMBER', 10_000);
}
