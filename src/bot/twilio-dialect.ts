/**
 * Twilio Media Streams, so a bot written for Twilio (Pipecat's serializer, OpenAI's Twilio
 * transport) works unchanged: `connected`, `start` (streamSid, callSid, customParameters,
 * mediaFormat audio/x-mulaw 8000), `media` (track, chunk, timestamp, payload), `dtmf`, `mark`,
 * `stop`, each with a string `sequenceNumber`; from the bot `media`, `mark`, `clear`. Extensions:
 * our `session.transfer` / `session.hangup` (Twilio has no equivalent) and an `error` event.
 */
import { contactParameters } from '../domain/contacts.ts';
import { audioFastPath, controlCommand, controlSchema, parseJson, twilioInboundSchema, zodProblems, type DialectCodec, type StreamInfo } from './protocol.ts';

export function twilioCodec(info: StreamInfo): DialectCodec {
  let seq = 0;
  let chunk = 0;
  const accountSid = info.orgId ?? 'switchboard';
  const msg = (event: string, body: Record<string, unknown>): string =>
    JSON.stringify({ event, sequenceNumber: String(++seq), ...body, streamSid: info.streamId });
  const streamSidJson = JSON.stringify(info.streamId);
  const customParameters: Record<string, string> = {
    from: info.from,
    to: info.to,
    did: info.did,
    call_id: info.callId,
    language: info.language,
    ...(info.agentId ? { agent_id: info.agentId } : {}),
    ...(info.systemPrompt ? { system_prompt: info.systemPrompt } : {}),
    ...(info.openingText ? { opening_text: info.openingText } : {}),
    ...info.metadata,
    // Twilio's customParameters are flat strings: contact_id, contact_name, contact_<key> per variable.
    ...(info.contact ? contactParameters(info.contact) : {}),
  };
  return {
    dialect: 'twilio',
    open: () => [
      JSON.stringify({ event: 'connected', protocol: 'Call', version: '1.0.0' }),
      msg('start', {
        start: {
          accountSid,
          streamSid: info.streamId,
          callSid: info.callId,
          tracks: ['inbound'],
          customParameters,
          mediaFormat: { encoding: 'audio/x-mulaw', sampleRate: 8000, channels: 1 },
        },
      }),
    ],
    // 50 a second per call: the same bytes as msg('media', {media: {track, chunk, timestamp, payload}}), built directly
    media: (payload, timestampMs) =>
      `{"event":"media","sequenceNumber":"${++seq}","media":{"track":"inbound","chunk":"${++chunk}","timestamp":"${timestampMs}",` +
      `"payload":"${payload.toString('base64')}"},"streamSid":${streamSidJson}}`,
    dtmf: (digit) => msg('dtmf', { dtmf: { track: 'inbound_track', digit } }),
    mark: (name) => msg('mark', { mark: { name } }),
    stop: () => msg('stop', { stop: { accountSid, callSid: info.callId } }),
    error: (message, details) => msg('error', { error: { message, details: details ?? null } }),
    decode(text) {
      const json = parseJson(text);
      if (!json.ok) return json;
      const audio = audioFastPath(json.value, 'event');
      if (audio) return { ok: true, command: { kind: 'audio', payload: audio } };
      const v = json.value as { event?: unknown; type?: unknown } | null;
      if (v && typeof v === 'object' && 'type' in v && !('event' in v)) {
        const c = controlSchema.safeParse(v);
        if (!c.success) return { ok: false, error: 'invalid message', details: zodProblems(c.error) };
        return { ok: true, command: controlCommand(c.data) };
      }
      const parsed = twilioInboundSchema.safeParse(v);
      if (!parsed.success) return { ok: false, error: 'invalid message', details: zodProblems(parsed.error) };
      const m = parsed.data;
      if (m.event === 'media') return { ok: true, command: { kind: 'audio', payload: Buffer.from(m.media.payload, 'base64') } };
      if (m.event === 'mark') return { ok: true, command: { kind: 'mark', name: m.mark.name } };
      return { ok: true, command: { kind: 'clear' } };
    },
  };
}
