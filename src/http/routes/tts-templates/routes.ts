import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { ErrorSchema, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const err503 = {
  503: { content: { 'application/json': { schema: ErrorSchema } }, description: 'The text-to-speech engine failed; the template\'s status is now `error` (last_error says why)' },
};

const Name = z.string().regex(/^[a-z0-9_]{1,64}$/, 'lowercase letters, digits and _, at most 64').openapi({ example: 'api_order_confirm' });
const Text = z.string().trim().min(1).max(5000).openapi({
  example: 'Hello {{name}}, your order {{order_id}} of {{amount}} rupees is confirmed. Press 1 to confirm.',
  description: 'Text with {{name}} and {{1}}, {{2}}… placeholders; a malformed brace is a 400 naming its character',
});
const Language = z.string().regex(/^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, 'a BCP-47 tag such as en-IN').openapi({ example: 'en-IN' });
const Voice = z.string().trim().min(1).max(100).nullable().openapi({ example: 'en-IN-Wavenet-D', description: 'Engine voice; null = the engine\'s default for the language' });

export const TemplateParam = z.object({
  id: z.string().min(1).openapi({ param: { name: 'id', in: 'path' }, description: 'Template id or name' }),
});
const AudioParam = TemplateParam.extend({ audio_id: z.string().openapi({ param: { name: 'audio_id', in: 'path' } }) });

const Status = z.enum(['ready', 'error']);

export const TemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    text: z.string(),
    placeholders: z.array(z.string()).openapi({ description: 'Placeholders in order of first use: names, and positions as "1", "2"…', example: ['name', 'order_id', 'amount'] }),
    language: z.string(),
    voice: z.string().nullable(),
    status: Status.openapi({ description: 'ready, or error: the last synthesis failed' }),
    last_error: z.string().nullable(),
    last_rendered_at: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('TtsTemplate');

const StatusSchema = z
  .object({ id: z.string(), name: z.string(), status: Status, last_error: z.string().nullable(), last_rendered_at: z.string().nullable() })
  .openapi('TtsTemplateStatus');

export const CreateTemplateBody = z
  .object({ name: Name, text: Text, language: Language.optional().openapi({ description: 'Default TTS_TEMPLATE_LANGUAGE' }), voice: Voice.optional() })
  .openapi('CreateTtsTemplate');
export const UpdateTemplateBody = z
  .object({ name: Name.optional(), text: Text.optional(), language: Language.optional(), voice: Voice.optional() })
  .openapi('UpdateTtsTemplate');

const Value = z.union([z.string().max(500), z.number()]);
export const RenderBody = z
  .object({
    variables: z
      .union([z.record(z.string().max(64), Value), z.array(Value).max(100), z.string().max(5000)])
      .default({})
      .openapi({
        description: 'Values by name ({"name": "John"}; positions as "1", "2"…), a list for {{1}}, {{2}}…, or the seed API\'s comma-separated "John,ORD12345,1500"',
        example: { name: 'John', order_id: 'ORD12345', amount: '1500' },
      }),
  })
  .openapi('RenderTtsTemplate');

const RenderedSchema = z
  .object({
    template_id: z.string(),
    audio_id: z.string().openapi({ description: 'sha256 of the rendering engine, language, voice, sample rate and text' }),
    audio_url: z.string().openapi({ description: 'GET it as audio/wav (`?token=` works)' }),
    text: z.string().openapi({ description: 'The text spoken' }),
    cached: z.boolean().openapi({ description: 'true: this text was already synthesized; the same file is reused' }),
    engine: z.string().openapi({
      example: 'espeak-ng-wasm',
      description: "The engine that rendered the audio: google, espeak-ng-wasm, espeak-ng, or tone when every speech engine failed (a fallback's file is not reused: the next render tries the first engine again)",
    }),
    engine_voice: z.string().openapi({ example: 'en-gb', description: "The engine's own voice it used" }),
    language: z.string(),
    voice: z.string().nullable().openapi({ description: "The template's voice (asked for)" }),
  })
  .openapi('RenderedTtsTemplate');

const tags = ['TTS templates'];
const read = requirePermission('template.read');
const write = requirePermission('template.write');
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };
const notFound = { ...authErrors, 404: errorResponses[404] };

export const listTemplatesRoute = createRoute({
  method: 'get', path: '/tts-templates', tags, security, middleware: [read] as const, summary: 'The organization\'s templates by name, with their status',
  responses: { 200: jsonContent(z.object({ templates: z.array(TemplateSchema) }).openapi('TtsTemplateList'), 'Templates'), ...authErrors },
});
export const createTemplateRoute = createRoute({
  method: 'post', path: '/tts-templates', tags, security, middleware: [write] as const, summary: 'Create a template (names are unique per organization)',
  request: jsonBody(CreateTemplateBody), responses: { 201: jsonContent(TemplateSchema, 'Created'), ...errorResponses, ...conflictResponse },
});
export const getTemplateRoute = createRoute({
  method: 'get', path: '/tts-templates/{id}', tags, security, middleware: [read] as const, summary: 'One template, by id or name',
  request: { params: TemplateParam }, responses: { 200: jsonContent(TemplateSchema, 'The template'), ...notFound },
});
export const templateStatusRoute = createRoute({
  method: 'get', path: '/tts-templates/{id}/status', tags, security, middleware: [read] as const,
  summary: 'Whether a template is ready (error: the last synthesis failed, last_error says why)',
  request: { params: TemplateParam }, responses: { 200: jsonContent(StatusSchema, 'Status'), ...notFound },
});
export const updateTemplateRoute = createRoute({
  method: 'put', path: '/tts-templates/{id}', tags, security, middleware: [write] as const,
  summary: 'Update a template (partial; a new text, language or voice clears an error status)',
  request: { params: TemplateParam, ...jsonBody(UpdateTemplateBody) },
  responses: { 200: jsonContent(TemplateSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});
export const deleteTemplateRoute = createRoute({
  method: 'delete', path: '/tts-templates/{id}', tags, security, middleware: [write] as const, summary: 'Delete a template',
  request: { params: TemplateParam }, responses: { 204: { description: 'Deleted' }, ...notFound },
});
export const renderTemplateRoute = createRoute({
  method: 'post', path: '/tts-templates/{id}/render', tags, security, middleware: [write] as const,
  summary: 'Fill the placeholders and speak the text into a wav (the same text is synthesized once); a missing value is a 400 naming it',
  request: { params: TemplateParam, ...jsonBody(RenderBody) },
  responses: { 200: jsonContent(RenderedSchema, 'Rendered'), ...errorResponses, ...err503 },
});
export const renderedAudioRoute = createRoute({
  method: 'get', path: '/tts-templates/{id}/audio/{audio_id}', tags, security, middleware: [read] as const,
  summary: 'A rendered wav (mono 16-bit PCM)', request: { params: AudioParam },
  responses: { 200: { content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'WAV bytes' }, ...notFound },
});
