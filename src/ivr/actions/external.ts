import { addStep, emit } from '../../calls/session.ts';
import { PROMPTS } from '../../calls/prompts.ts';
import { bridge, hangup, play } from '../media.ts';
import { END, type ActionHandler } from './types.ts';

/** Bridge to an outside number through the configured gateway, showing the DID as caller ID. */
export const externalAction: ActionHandler = async (s, dest) => {
  const number = dest.value ?? '';
  const { externalGateway, ringTimeoutS } = s.deps.settings;
  const cid = s.did.replace(/^\+/, '');
  const vars = [`leg_timeout=${ringTimeoutS}`, `origination_caller_id_number=${cid}`, `effective_caller_id_number=${cid}`].join(',');
  emit(s, { type: 'call.transferred', target: number, kind: 'external' });
  const out = await bridge(s, `{${vars}}sofia/gateway/${externalGateway}/${number.replace(/^\+/, '')}`);
  addStep(s, { step: 'action', type: 'external', value: number, result: out.cause });
  if (out.answered) {
    s.record.disposition = 'external';
    s.record.answeredBy = number;
    return END;
  }
  s.record.disposition = 'failed';
  await play(s, PROMPTS.unavailable);
  await hangup(s, out.cause === 'USER_BUSY' ? 'USER_BUSY' : 'NORMAL_TEMPORARY_FAILURE');
  return END;
};
