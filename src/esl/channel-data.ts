/**
 * The reply to `connect` on an outbound socket carries the channel's data as headers (fact 1:
 * `Content-Type` is among them, not first; no Content-Length). Typed here once.
 */
import { prefixedView, type EslHeaders } from './headers.ts';

export interface ChannelData {
  readonly uuid: string;
  readonly destinationNumber: string;
  readonly callerIdNumber: string;
  readonly callerIdName: string;
  readonly context: string | undefined;
  readonly channelName: string | undefined;
  readonly answerState: string | undefined;
  readonly direction: string | undefined;
  /**
   * `static` (the dialplan's `socket host:port full`): FreeSWITCH runs each command in the channel's own
   * thread as it reads it, a sendmsg execute replies when its app is done, and events wait until then.
   * `async` (`… async full`): commands are queued to the parked channel and events flow while apps run.
   */
  readonly socketMode: 'async' | 'static';
  /** Channel variables, without the `variable_` prefix, decoded. */
  readonly variables: Readonly<Record<string, string>>;
  /** Every header of the connect reply, decoded. */
  readonly headers: EslHeaders;
}

export class EslChannelDataError extends Error {
  override readonly name = 'EslChannelDataError' as const;
}

export function parseChannelData(headers: EslHeaders): ChannelData {
  const uuid = headers['Unique-ID'] ?? headers['Channel-Unique-ID'] ?? headers['variable_uuid'];
  if (!uuid) throw new EslChannelDataError('connect reply without Unique-ID');
  const variables = prefixedView(headers, 'variable_');
  return {
    uuid,
    destinationNumber: headers['Caller-Destination-Number'] ?? headers['Channel-Destination-Number'] ?? '',
    callerIdNumber: headers['Caller-Caller-ID-Number'] ?? headers['Channel-Caller-ID-Number'] ?? '',
    callerIdName: headers['Caller-Caller-ID-Name'] ?? headers['Channel-Caller-ID-Name'] ?? '',
    context: headers['Caller-Context'] ?? headers['Channel-Context'],
    channelName: headers['Channel-Name'],
    answerState: headers['Answer-State'],
    direction: headers['Call-Direction'],
    socketMode: headers['Socket-Mode'] === 'static' ? 'static' : 'async',
    variables,
    headers,
  };
}
