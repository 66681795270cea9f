import { z } from '@hono/zod-openapi';
import { ivrFieldSchemas } from '../../ivrs/schemas.ts';
import { INVALID_SLOT, KEY_SLOTS, TIMEOUT_SLOT } from '../../../../services/compat/yeastar/ivr-view.ts';

/**
 * Yeastar P-series' IVR_DetailInfo (ivr/get's `data`, and the body of ivr/update, which mirrors it) and its
 * envelope. Ranges are our IVR's (src/http/routes/ivrs/schemas.ts): one rule, one place.
 */
const SLOTS = [...KEY_SLOTS, TIMEOUT_SLOT, INVALID_SLOT];
const DEST_TYPES = 'end_call, extension, ext_vm, ivr, queue, external_num, play_prompt (ring_group, group_vm, conference, dial_by_name and play_greeting are refused); "" = none';

const accessToken = z.string().openapi({ description: 'An API key (ak_…) or a login JWT of this platform', example: 'ak_your_api_key' });
const yeastarId = z.string().regex(/^\d{1,9}$/, 'must be an integer id');

export const GetIvrQuery = z.object({
  access_token: accessToken.optional(),
  id: yeastarId.openapi({ description: "The IVR's id: its 4-digit number read as an integer (7001, or 5 for 0005)", example: '5' }),
});

export const ListIvrsQuery = z.object({
  access_token: accessToken.optional(),
  page: z.coerce.number().int().min(1).optional(),
  page_size: z.coerce.number().int().min(1).max(1000).optional(),
  sort_by: z.enum(['id', 'number', 'name']).optional(),
  order_by: z.enum(['asc', 'desc']).optional(),
});

export const UpdateIvrQuery = z.object({ access_token: accessToken.optional() });

const ExtEntry = z.object({
  text: z.string().max(200).optional(),
  text2: z.string().max(200).optional(),
  value: z.union([z.string().max(10), z.number().int()]).openapi({ description: "The extension's id (its number as an integer)" }),
  type: z.string().max(30).openapi({ description: 'extension (ext_group and organization are refused)' }),
}).strict();
const RouteEntry = z.object({ text: z.string().max(200).optional(), value: z.string().max(50) }).strict();
const flag = z.number().int();

const slotFields = Object.fromEntries(SLOTS.flatMap((s) => [
  [s.fields.dest, z.string().max(30).optional().openapi({ description: `Destination type: ${DEST_TYPES}` })],
  [s.fields.prefix, z.string().max(30).optional().openapi({ description: 'play_prompt: play count ("1" or ""); anything else: ""' })],
  [s.fields.value, z.union([z.string().max(2000), z.number().int()]).optional().openapi({ description: 'extension/ext_vm/ivr/queue: the id; external_num: E.164; play_prompt: a .wav of the sounds folder' })],
  [s.record, flag.optional().openapi({ description: 'Only 0' })],
])) as Record<string, z.ZodOptional<z.ZodType>>;

export const UpdateIvrBody = z
  .object({
    id: z.number().int().min(0).openapi({ example: 5 }),
    number: ivrFieldSchemas.extension.optional(),
    name: ivrFieldSchemas.name.optional(),
    prompt: z.string().max(200).optional().openapi({ description: '"default" (no greeting) or one .wav file of the sounds folder, which becomes the greeting' }),
    prompt_repeat: ivrFieldSchemas.max_retries.optional().openapi({ description: 'Timeouts, and invalid keys, before their destinations' }),
    resp_timeout: ivrFieldSchemas.timeout.optional(),
    digit_timeout: ivrFieldSchemas.inter_digit_timeout.optional(),
    dial_ext_option: z.enum(['disable', 'all', 'allow', 'restrict']).optional(),
    enb_dial_outb_routes: flag.optional().openapi({ description: 'Only 0' }),
    enb_dial_check_vm: flag.optional().openapi({ description: 'Only 0' }),
    ...slotFields,
    dial_ext_list: z.array(ExtEntry).max(500).optional().openapi({ description: 'With dial_ext_option "allow"' }),
    restrict_dial_ext_list: z.array(ExtEntry).max(500).optional().openapi({ description: 'With dial_ext_option "restrict"' }),
    dial_outb_route_list: z.array(RouteEntry).max(50).optional().openapi({ description: 'Only []' }),
    alert_info: z.string().max(200).optional().openapi({ description: 'Only ""' }),
    prompt_manger_enb: flag.optional().openapi({ description: 'Only 0' }),
    prompt_manger_password: z.string().max(100).optional().openapi({ description: 'Only "" or "****"' }),
  })
  .openapi('YeastarUpdateIvr', { example: { id: 5, name: 'Virtual Receptionist', press1_dest: 'extension', press1_dest_value: '1001', timeout_dest: 'end_call' } });

/** How a body's values become the fields above (numbers sent as text too). */
export const UPDATE_BODY_RULES = {
  numbers: ['id', 'prompt_repeat', 'resp_timeout', 'digit_timeout', 'enb_dial_outb_routes', 'enb_dial_check_vm', 'prompt_manger_enb', ...SLOTS.map((s) => s.record)],
};

const ExtEntryOut = z.object({ text: z.string(), text2: z.string(), value: z.string(), type: z.literal('extension') });
export const YeastarIvrDetail = z
  .object({
    id: z.number().int(), number: z.string(), name: z.string(),
    prompt: z.string().openapi({ description: '"default" (no greeting) or the greeting\'s file name' }),
    prompt_repeat: z.number().int(), resp_timeout: z.number().int(), digit_timeout: z.number().int(),
    dial_ext_option: z.enum(['disable', 'all', 'allow', 'restrict']), enb_dial_outb_routes: z.literal(0), enb_dial_check_vm: z.literal(0),
    ...Object.fromEntries(SLOTS.flatMap((s) => [[s.fields.dest, z.string()], [s.fields.prefix, z.string()], [s.fields.value, z.string()], [s.record, z.literal(0)]])),
    dial_ext_list: z.array(ExtEntryOut), restrict_dial_ext_list: z.array(ExtEntryOut), dial_outb_route_list: z.array(RouteEntry),
    alert_info: z.string(), prompt_manger_enb: z.literal(0), prompt_manger_password: z.string(),
  })
  .openapi('YeastarIvrDetail');

const envelope = { errcode: z.number().int().openapi({ example: 0 }), errmsg: z.string().openapi({ example: 'SUCCESS' }) };
export const YeastarOk = z.object(envelope).openapi('YeastarResult');
export const YeastarGetIvrResult = z.object({ ...envelope, data: YeastarIvrDetail }).openapi('YeastarGetIvrResult');
export const YeastarListIvrsResult = z
  .object({
    ...envelope,
    total_number: z.number().int(),
    data: z.array(z.object({ id: z.number().int(), number: z.string(), name: z.string(), dial_ext_option: z.string(), enb_dial_outb_routes: z.literal(0) })),
  })
  .openapi('YeastarListIvrsResult');
export const YeastarError = z
  .object({
    ...envelope,
    invalid_param_list: z.array(z.object({ field: z.string(), value: z.string().optional(), validation_type: z.string(), message: z.string() })).optional(),
    duplicate_field_list: z.array(z.object({ field: z.string(), value: z.string(), message: z.string() })).optional(),
  })
  .openapi('YeastarError', { example: { errcode: 40002, errmsg: 'PARAMETER ERROR', invalid_param_list: [{ field: 'press0_dest', validation_type: 'invalid', message: 'destination type "conference" is not supported: this platform has no conference rooms' }] } });
