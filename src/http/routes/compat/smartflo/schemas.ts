import { z } from '@hono/zod-openapi';
import { ivrFieldSchemas } from '../../ivrs/schemas.ts';

/**
 * Tata Smartflo's "Create IVR" fields (every one mandatory but sms_template, as Smartflo documents them).
 * Ranges are our IVR's (src/http/routes/ivrs/schemas.ts): one rule, one place.
 */
const recording = z.string().trim().min(1).max(100).openapi({ example: 'recording|28935', description: 'recording|<id>: the sound file recording_<id>.wav of the sounds folder' });
const destination = z.string().trim().min(1).max(2000).openapi({ example: 'extension|1001', description: '<type>|<value> with our destination types: extension|1001, queue|5001, ivr|<uuid>, voicemail|1001, external|+919944421125, hangup, …' });
const digit = z.union([z.string().trim().min(1).max(2), z.number().int().min(0).max(9)]);

export const SmartfloIvrBody = z
  .object({
    name: ivrFieldSchemas.name.openapi({ example: 'Election IVR' }),
    description: z.string().max(500).openapi({ example: 'Election IVR Description' }),
    recording: recording.openapi({ description: 'The welcome recording: recording|<id>, the sound file recording_<id>.wav of the sounds folder, becomes the greeting' }),
    timeout: ivrFieldSchemas.timeout.openapi({ example: 30, description: 'Seconds to wait for a key' }),
    option: z.array(digit).min(1).max(12).openapi({ example: ['1'], description: 'Keys 0-9, * or #; form bodies: option[]=1&option[]=2' }),
    destination: z.array(destination).min(1).max(12).openapi({ description: 'One per option, same order; form bodies: destination[]=…' }),
    incorrect_count: ivrFieldSchemas.max_retries.openapi({ example: 2, description: 'Invalid entries before invalid_destination' }),
    timeout_recording: recording.openapi({ description: 'Must equal timeout_retry_recording: one timeout recording plays at every timeout and before timeout_destination' }),
    invalid_recording: recording.openapi({ description: 'Played after an invalid key, and before invalid_destination' }),
    invalid_destination: destination,
    timeout_retry_recording: recording.openapi({ description: 'Played after a timeout, before the menu repeats (and before timeout_destination)' }),
    timeout_destination: destination,
    sms_template: z.array(z.number().int()).max(12).optional().openapi({ description: 'Not supported: only none (or []) is accepted' }),
    timeout_tries: ivrFieldSchemas.max_retries.openapi({ example: 2, description: 'Timeouts before timeout_destination' }),
  })
  .openapi('SmartfloCreateIvr');

/** How a form body's values become the fields above. */
export const SMARTFLO_BODY_RULES = {
  arrays: ['option', 'destination', 'sms_template'],
  numbers: ['timeout', 'incorrect_count', 'timeout_tries', 'sms_template'],
} as const;

export const SmartfloResult = z
  .object({
    success: z.boolean().openapi({ example: true }),
    message: z.string().openapi({ example: 'IVR "Election IVR" created: id 2d7a59e9-4304-4032-a0c1-f8df2429751c' }),
  })
  .openapi('SmartfloResult');

export const SmartfloIvr = SmartfloIvrBody.omit({ option: true, sms_template: true })
  .extend({
    id: z.string().openapi({ example: '2d7a59e9-4304-4032-a0c1-f8df2429751c' }),
    option: z.array(z.string()),
    sms_template: z.array(z.number().int()).openapi({ description: 'Always []' }),
  })
  .openapi('SmartfloIvr');

export const SmartfloIdParam = z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' }, example: '2d7a59e9-4304-4032-a0c1-f8df2429751c' }) });
