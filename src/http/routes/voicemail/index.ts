import { Readable } from 'node:stream';
import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { deleteMessage, getMessage, listMessages, openMessageAudio, setHeard, type VoicemailMessage } from '../../../services/voicemail/messages.ts';
import { deleteVoicemail, getVoicemail, listVoicemail, patchVoicemail, voicemailAudio } from './routes.ts';

const toDto = (m: VoicemailMessage, base: string) => ({
  id: m.id, extension: m.extension, caller: m.caller, did: m.did, call_log_id: m.callLogId, duration_ms: m.durationMs,
  heard: m.heard, audio_url: `${base}/api/v1/voicemail/${m.id}/audio`, createdAt: m.createdAt,
});

/** Handlers parse, authorize (route middleware) and shape; src/services/voicemail/messages.ts does the work. */
export function voicemailRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listVoicemail, async (c) => {
      const q = c.req.valid('query');
      const { adb, config } = c.get('deps');
      const page = await listMessages(adb, c.get('principal').orgId, {
        extension: q.extension, callLogId: q.call_log_id, heard: q.heard, limit: q.limit, offset: q.offset,
      });
      const base = config.PUBLIC_URL ?? '';
      return c.json({ messages: page.messages.map((m) => toDto(m, base)), total: page.total, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(getVoicemail, async (c) => {
      const { adb, config } = c.get('deps');
      return c.json(toDto(await getMessage(adb, c.get('principal').orgId, c.req.valid('param').id), config.PUBLIC_URL ?? ''), 200);
    })
    .openapi(voicemailAudio, async (c) => {
      const { message, size, stream } = await openMessageAudio(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return new Response(Readable.toWeb(stream) as ReadableStream, {
        status: 200,
        headers: {
          'content-type': 'audio/wav',
          'content-length': String(size),
          'content-disposition': `attachment; filename="voicemail-${message.id}.wav"`,
          'cache-control': 'no-store',
        },
      }) as never;
    })
    .openapi(patchVoicemail, async (c) => {
      const { adb, config } = c.get('deps');
      const row = await setHeard(adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').heard);
      return c.json(toDto(row, config.PUBLIC_URL ?? ''), 200);
    })
    .openapi(deleteVoicemail, async (c) => {
      await deleteMessage(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
