import { END, type ActionHandler } from '../session.ts';
import { recordCall } from '../recording.ts';
import { bridgeTo, unavailable } from '../bridging/bridge-to.ts';

/** Bridge to an outside number through the configured gateway, showing the DID as caller ID. */
export const externalAction: ActionHandler = async (s, dest) => {
  const number = dest.value ?? '';
  const { externalGateway, ringTimeoutS } = s.deps.settings;
  const cid = s.did.replace(/^\+/, '');
  const vars = [`leg_timeout=${ringTimeoutS}`, `origination_caller_id_number=${cid}`, `effective_caller_id_number=${cid}`].join(',');
  const dialString = `{${vars}}sofia/gateway/${externalGateway}/${number.replace(/^\+/, '')}`;
  await recordCall(s);
  const out = await bridgeTo(s, { kind: 'external', target: number, dialString });
  if (!out.answered) await unavailable(s, out.cause === 'USER_BUSY' ? 'USER_BUSY' : 'NORMAL_TEMPORARY_FAILURE', out.cause);
  return END;
};
