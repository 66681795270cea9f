import { z } from '@hono/zod-openapi';
import { ACTION_TYPES, DIRECT_DIAL_POLICIES, FINAL_DESTINATION_TYPES } from '../../../domain/destinations.ts';
import { MENU_DIGITS } from '../../../services/ivrs/menu.ts';

const extension = z.string().trim().regex(/^\d{4}$/, 'must be a 4-digit number, e.g. "7001"');
const language = z.string().trim().regex(/^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{1,8})*$/, 'must be a BCP-47 language code, e.g. "en-IN"');
const voice = z.string().trim().min(1).max(100).regex(/^[\w.-]+$/, 'must be a voice name, e.g. "en-IN-Wavenet-D"');
const retries = z.number().int().min(1).max(10).nullable();
const prompt = z.string().max(2000).nullable().openapi({ description: 'Sound file path/name or text; null = built-in prompt' });

const Destination = z
  .object({
    type: z.enum(FINAL_DESTINATION_TYPES),
    value: z.string().max(2000).nullable().optional().openapi({ description: 'Extension/queue number, IVR or AI agent UUID, ws(s):// URL, E.164; null for hangup/callback' }),
  })
  .openapi('IvrDestination');

const StoredDestination = z.object({ type: z.string(), value: z.string().nullable() });

export const IvrSchema = z
  .object({
    id: z.string(),
    org_id: z.string(),
    name: z.string().openapi({ example: 'Main Menu' }),
    extension: z.string().openapi({ example: '7001' }),
    description: z.string().nullable(),
    greeting_prompt: z.string().nullable().openapi({ example: 'greeting_ivr_2d7a59e9-4304-4032-a0c1-f8df2429751c' }),
    greeting_text: z.string().nullable(),
    greeting_language: z.string().openapi({ example: 'en-IN' }),
    greeting_voice: z.string().openapi({ example: 'en-IN-Wavenet-D' }),
    timeout: z.number().int().openapi({ description: 'Seconds to wait for input; 0 = wait forever' }),
    inter_digit_timeout: z.number().int(),
    max_retries: z.number().int(),
    timeout_retries: z.number().int().nullable().openapi({ description: 'Timeouts before the timeout destination; null = max_retries' }),
    invalid_retries: z.number().int().nullable().openapi({ description: 'Invalid entries before the invalid destination; null = max_retries' }),
    enable_direct_dial: z.boolean(),
    direct_dial_policy: z.enum(DIRECT_DIAL_POLICIES),
    direct_dial_list: z.array(z.string()),
    timeout_prompt: z.string().nullable(),
    invalid_prompt: z.string().nullable(),
    timeout_destination: StoredDestination.nullable(),
    invalid_destination: StoredDestination.nullable(),
    status: z.string().openapi({ example: 'active' }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Ivr');

export const MenuOptionSchema = z
  .object({
    id: z.string(),
    ivr_id: z.string(),
    digit: z.string().openapi({ example: '1' }),
    action_type: z.string().openapi({ example: 'queue' }),
    action_destination: z.string().nullable().openapi({ example: '5001' }),
    description: z.string().nullable(),
    order: z.number().int(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('IvrMenuOption');

export const IvrWithMenuSchema = IvrSchema.extend({ menuOptions: z.array(MenuOptionSchema) }).openapi('IvrWithMenu');

/** Fields every write accepts; all optional here (update), create requires name and extension. The vendor adapters reuse them. */
export const ivrFieldSchemas = {
  name: z.string().trim().min(1).max(100),
  extension,
  description: z.string().max(500).nullable(),
  timeout: z.number().int().min(0).max(120).openapi({ description: 'Seconds; default 10; 0 = wait forever' }),
  inter_digit_timeout: z.number().int().min(1).max(30).openapi({ description: 'Seconds between direct-dial digits; default 3' }),
  max_retries: z.number().int().min(1).max(10).openapi({ description: 'Default 3; the limit for timeouts and for invalid entries, each counted on its own' }),
  timeout_retries: retries.openapi({ description: 'Timeouts before the timeout destination; null (default) = max_retries' }),
  invalid_retries: retries.openapi({ description: 'Invalid entries before the invalid destination; null (default) = max_retries' }),
  enable_direct_dial: z.boolean().openapi({ description: 'Default false; kept consistent with direct_dial_policy' }),
  direct_dial_policy: z.enum(DIRECT_DIAL_POLICIES),
  direct_dial_list: z.array(extension).max(500),
  greeting_language: language.openapi({ description: 'Default en-IN' }),
  greeting_voice: voice.openapi({ description: 'Default en-IN-Wavenet-D' }),
  timeout_prompt: prompt,
  invalid_prompt: prompt,
  timeout_destination: Destination.nullable(),
  invalid_destination: Destination.nullable(),
  status: z.enum(['active', 'inactive']),
};

export const UpdateIvrBody = z.object(ivrFieldSchemas).partial().openapi('UpdateIvr');

export const CreateIvrBody = UpdateIvrBody.extend({ name: ivrFieldSchemas.name, extension: ivrFieldSchemas.extension })
  .openapi('CreateIvr', { example: { name: 'Main Menu', extension: '7001', description: 'Primary reception IVR', timeout: 10, max_retries: 3 } });

export const MenuBody = z
  .object({
    options: z
      .array(
        z.object({
          // Semantics (digit set, action types, destinations, duplicates) are checked together in
          // validateMenu so one response lists every failing option.
          digit: z.union([z.string().max(2), z.number().int()]).openapi({ description: '0-9, * or #; unique within the menu' }),
          action_type: z.string().max(20).openapi({ description: `One of: ${ACTION_TYPES.join(', ')}` }),
          action_destination: z.string().max(2000).nullable().optional(),
          description: z.string().max(200).nullable().optional(),
          order: z.number().int().optional().openapi({
            description: "Sort order in the UI: options are saved in ascending order (equal or absent: body order, absent last); the response's order is the saved position",
          }),
        }),
      )
      .max(MENU_DIGITS.length),
  })
  .openapi('IvrMenu', {
    example: {
      options: [
        { digit: '1', action_type: 'queue', action_destination: '5001', description: 'Sales' },
        { digit: '9', action_type: 'hangup', action_destination: null },
      ],
    },
  });

export const GreetingBody = z
  .object({
    text: z.string().trim().min(1, 'text is required').max(2000),
    language: language.optional(),
    voice: voice.optional(),
  })
  .openapi('GenerateGreeting');

export const GreetingResult = z
  .object({
    success: z.literal(true),
    greeting_prompt: z.string(),
    language: z.string(),
    voice: z.string().openapi({ description: 'The voice asked for (stored on the IVR)' }),
    engine: z.string().openapi({
      example: 'espeak-ng-wasm',
      description: 'The engine that rendered the greeting: google, espeak-ng-wasm, espeak-ng, or tone when every speech engine failed (TTS_ENGINE)',
    }),
    engine_voice: z.string().openapi({ example: 'en-gb', description: "The engine's own voice it used (eSpeak NG's for the language, Google's voice name or \"default\", \"tone\")" }),
    duration_ms: z.number().int(),
  })
  .openapi('GreetingResult');

export const DeleteResult = z
  .object({
    success: z.literal(true),
    message: z.string(),
    dead_dids: z.array(z.object({ id: z.string(), number: z.string() })),
    dangling_references: z.array(z.object({ type: z.enum(['ivr', 'ai_agent']), id: z.string(), name: z.string(), field: z.string() })),
  })
  .openapi('IvrDeletedWithReferences');
