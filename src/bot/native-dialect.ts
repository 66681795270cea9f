/** Our own protocol: `type`-tagged JSON, snake_case fields, a `seq` on every message we send. */
import { audioFastPath, controlCommand, nativeInboundSchema, parseJson, zodProblems, type DialectCodec, type StreamInfo } from './protocol.ts';

export function nativeCodec(info: StreamInfo): DialectCodec {
  let seq = 0;
  const msg = (type: string, body: Record<string, unknown>): string =>
    JSON.stringify({ type, seq: ++seq, stream_id: info.streamId, ...body });
  const streamIdJson = JSON.stringify(info.streamId);
  return {
    dialect: 'native',
    open: () => [
      msg('start', {
        call_id: info.callId,
        channel_uuid: info.channelUuid,
        from: info.from,
        to: info.to,
        did: info.did,
        org_id: info.orgId,
        agent_id: info.agentId,
        media_format: { ...info.mediaFormat, frame_ms: 20 },
        custom_parameters: {
          system_prompt: info.systemPrompt,
          language: info.language,
          opening_text: info.openingText,
          metadata: info.metadata,
          contact: info.contact,
        },
      }),
    ],
    // 50 a second per call: the same bytes as msg('media', {timestamp, payload}), without building an object
    // (base64 needs no JSON escaping; the timestamp is an integer).
    media: (payload, timestampMs) =>
      `{"type":"media","seq":${++seq},"stream_id":${streamIdJson},"timestamp":${timestampMs},"payload":"${payload.toString('base64')}"}`,
    dtmf: (digit, durationMs) => msg('dtmf', { digit, duration_ms: durationMs }),
    mark: (name, cleared) => msg('mark', { name, cleared }),
    stop: (reason) => msg('stop', { reason }),
    error: (message, details) => msg('error', { message, details: details ?? null }),
    decode(text) {
      const json = parseJson(text);
      if (!json.ok) return json;
      const audio = audioFastPath(json.value, 'type');
      if (audio) return { ok: true, command: { kind: 'audio', payload: audio } };
      const parsed = nativeInboundSchema.safeParse(json.value);
      if (!parsed.success) return { ok: false, error: 'invalid message', details: zodProblems(parsed.error) };
      const m = parsed.data;
      switch (m.type) {
        case 'response.audio.delta':
          return { ok: true, command: { kind: 'audio', payload: Buffer.from(m.delta, 'base64') } };
        case 'media':
          return { ok: true, command: { kind: 'audio', payload: Buffer.from(m.payload, 'base64') } };
        case 'clear':
          return { ok: true, command: { kind: 'clear' } };
        case 'mark':
          return { ok: true, command: { kind: 'mark', name: m.name } };
        default:
          return { ok: true, command: controlCommand(m) };
      }
    },
  };
}
