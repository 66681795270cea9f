import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security, serverErrorResponse } from '../../schemas.ts';

const Number4 = z.string().regex(/^\d{4}$/, 'must be a 4-digit number, e.g. "1001"').openapi({ example: '1001' });

export const ExtensionSchema = z
  .object({
    id: z.string(),
    number: z.string().openapi({ example: '1001' }),
    name: z.string().openapi({ example: 'Reception' }),
    voicemail_enabled: z.boolean(),
    voicemail_greeting: z.string().nullable().openapi({ description: 'Text spoken to callers reaching voicemail; null = the default greeting' }),
    enabled: z.boolean(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Extension');

const RegistrationSchema = z
  .object({
    registered: z.boolean().nullable().openapi({ description: 'null: the switch could not be asked (see reason)' }),
    reason: z.literal('switch_unavailable').optional(),
    contact: z.string().optional().openapi({ example: 'sip:1001@192.0.2.10:5062' }),
    expires_at: z.string().nullable().optional(),
    user_agent: z.string().nullable().optional(),
  })
  .openapi('ExtensionRegistration', { description: "Live, from FreeSWITCH's registrations (sofia xmlstatus), cached a few seconds" });

export const ExtensionStateSchema = ExtensionSchema.extend({
  owner: z.object({ agent_id: z.string(), user_id: z.string(), name: z.string(), email: z.string(), enabled: z.boolean() }).nullable()
    .openapi({ description: 'The agent using this extension (POST /agents), or null' }),
  registration: RegistrationSchema,
}).openapi('ExtensionWithState');

const GreetingTtsSchema = z
  .object({
    engine: z.string().openapi({
      example: 'espeak-ng-wasm',
      description: 'The engine that rendered it: google, espeak-ng-wasm, espeak-ng, or tone when every speech engine failed',
    }),
    voice: z.string().openapi({ example: 'en-gb', description: "The engine's own voice it used" }),
    cached: z.boolean().openapi({ description: 'true: this text had been rendered before; the same file is used' }),
  })
  .nullable()
  .openapi('VoicemailGreetingTts', {
    description: 'How the voicemail greeting saved by this request was rendered; null when this request rendered none (no voicemail_greeting sent, or the default greeting is left for the first call)',
  });

export const CreatedExtensionSchema = ExtensionSchema.extend({
  sip_password: z.string().openapi({ description: 'Shown only in this response; store it now.' }),
  voicemail_greeting_tts: GreetingTtsSchema,
}).openapi('CreatedExtension');

export const UpdatedExtensionSchema = ExtensionSchema.extend({ voicemail_greeting_tts: GreetingTtsSchema }).openapi('UpdatedExtension');

const fields = {
  number: Number4,
  name: z.string().trim().min(1).max(100),
  sip_password: z.string().min(8).max(128).openapi({ description: 'At least 8 characters; generated when omitted on create' }),
  voicemail_enabled: z.boolean(),
  voicemail_greeting: z.string().trim().min(1).max(1000).nullable().openapi({
    description: 'Voicemail greeting text, rendered to audio with text-to-speech when saved; null = "The person you are calling is not available. Please leave a message after the tone."',
    example: 'You have reached Asha. Please leave a message after the tone.',
  }),
  enabled: z.boolean(),
};

export const CreateExtensionBody = z
  .object({
    number: fields.number,
    name: fields.name,
    sip_password: fields.sip_password.optional(),
    voicemail_enabled: fields.voicemail_enabled.default(true),
    voicemail_greeting: fields.voicemail_greeting.optional(),
    enabled: fields.enabled.default(true),
  })
  .openapi('CreateExtension');

export const UpdateExtensionBody = z.object(fields).partial().openapi('UpdateExtension');

const tags = ['Extensions'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listExtensions = createRoute({
  method: 'get', path: '/extensions', tags, security, summary: 'List extensions (SIP users)',
  middleware: [requirePermission('extension.read')] as const,
  responses: { 200: jsonContent(z.array(ExtensionStateSchema), 'Extensions of your organization, by number, with owner and live registration'), ...authErrors },
});

export const getExtension = createRoute({
  method: 'get', path: '/extensions/{id}', tags, security, summary: 'Get one extension',
  middleware: [requirePermission('extension.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(ExtensionStateSchema, 'The extension, with owner and live registration'), ...authErrors, 404: errorResponses[404] },
});

export const createExtension = createRoute({
  method: 'post', path: '/extensions', tags, security,
  summary: 'Create an extension; the SIP password is returned once',
  middleware: [requirePermission('extension.write')] as const,
  request: jsonBody(CreateExtensionBody),
  responses: { 201: jsonContent(CreatedExtensionSchema, 'Created'), ...errorResponses, ...conflictResponse, ...serverErrorResponse },
});

export const updateExtension = createRoute({
  method: 'put', path: '/extensions/{id}', tags, security, summary: 'Update an extension (partial)',
  middleware: [requirePermission('extension.write')] as const,
  request: { params: IdParam, ...jsonBody(UpdateExtensionBody) },
  responses: { 200: jsonContent(UpdatedExtensionSchema, 'Updated'), ...errorResponses, ...conflictResponse, ...serverErrorResponse },
});

export const deleteExtension = createRoute({
  method: 'delete', path: '/extensions/{id}', tags, security, summary: 'Delete an extension',
  middleware: [requirePermission('extension.write')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});
