import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import {
  createTemplate, deleteTemplate, findTemplate, listTemplates, updateTemplate, type TemplateRow,
} from '../../../services/tts-templates/template-service.ts';
import { parseTemplate } from '../../../services/tts-templates/placeholders.ts';
import { readRenderedAudio, renderTemplate } from '../../../services/tts-templates/render.ts';
import {
  createTemplateRoute, deleteTemplateRoute, getTemplateRoute, listTemplatesRoute, renderTemplateRoute, renderedAudioRoute, templateStatusRoute,
  updateTemplateRoute,
} from './routes.ts';

const statusDto = (r: TemplateRow) => ({ id: r.id, name: r.name, status: r.status, last_error: r.lastError, last_rendered_at: r.lastRenderedAt });
const toDto = (r: TemplateRow) => ({
  ...statusDto(r), text: r.text, placeholders: parseTemplate(r.text).placeholders, language: r.language, voice: r.voice,
  createdAt: r.createdAt, updatedAt: r.updatedAt,
});

/** Handlers parse, authorize (route middleware) and shape; src/services/tts-templates does the work. */
export function ttsTemplateRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listTemplatesRoute, async (c) => c.json({ templates: (await listTemplates(c.get('deps').adb, c.get('principal').orgId)).map(toDto) }, 200))
    .openapi(createTemplateRoute, async (c) => {
      const { adb, config } = c.get('deps');
      return c.json(toDto(await createTemplate(adb, c.get('principal').orgId, c.req.valid('json'), config.TTS_TEMPLATE_LANGUAGE)), 201);
    })
    .openapi(getTemplateRoute, async (c) => c.json(toDto(await findTemplate(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(templateStatusRoute, async (c) => c.json(statusDto(await findTemplate(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(updateTemplateRoute, async (c) => {
      const row = await updateTemplate(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'));
      return c.json(toDto(row), 200);
    })
    .openapi(deleteTemplateRoute, async (c) => {
      await deleteTemplate(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(renderTemplateRoute, async (c) => {
      const deps = c.get('deps');
      const r = await renderTemplate({ ...deps, db: deps.adb }, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').variables, c.req.raw.signal);
      return c.json({
        template_id: r.templateId, audio_id: r.audioId, audio_url: `${deps.config.PUBLIC_URL ?? ''}/api/v1/tts-templates/${r.templateId}/audio/${r.audioId}`,
        text: r.text, cached: r.cached, engine: r.engine, engine_voice: r.engineVoice, language: r.language, voice: r.voice,
      }, 200);
    })
    .openapi(renderedAudioRoute, async (c) => {
      const { id, audio_id: audioId } = c.req.valid('param');
      const bytes = await readRenderedAudio({ db: c.get('deps').adb, config: c.get('deps').config }, c.get('principal').orgId, id, audioId);
      return c.body(new Uint8Array(bytes), 200, {
        'content-type': 'audio/wav',
        'content-length': String(bytes.length),
        'content-disposition': `inline; filename="${audioId}.wav"`,
        // The name is the content's hash: the bytes behind it never change.
        'cache-control': 'private, max-age=86400, immutable',
      });
    });
}
