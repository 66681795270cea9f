import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../../middleware/auth.ts';
import { security } from '../../../schemas.ts';
import { SmartfloIdParam, SmartfloIvr, SmartfloIvrBody, SmartfloResult } from './schemas.ts';

const tags = ['Compat: Tata Smartflo'];
const failure = (description: string) => ({ content: { 'application/json': { schema: SmartfloResult } }, description: `${description} ({"success": false, "message": …})` });
const failures = {
  401: failure('Missing or invalid credentials'),
  403: failure('The credentials lack the permission the message names'),
};

export const createSmartfloIvr = createRoute({
  method: 'post', path: '/v1/ivr', tags, security, middleware: [requirePermission('ivr.write')] as const,
  summary: 'Create an IVR (Smartflo "Create IVR")',
  description:
    'Smartflo\'s fields onto our IVR: the recording becomes the greeting, option[]/destination[] the menu, incorrect_count and ' +
    'timeout_tries the retry limits. The IVR takes the next free extension number. Recordings are sound files of the sounds ' +
    'folder (recording|28935 = recording_28935.wav). A field or value our IVR cannot hold is a 400 naming it. JSON or a form ' +
    '(option[]=1&option[]=2). Not published: publish with POST /api/v1/ivrs/{id}/publish.',
  request: {
    body: {
      content: {
        'application/json': { schema: SmartfloIvrBody },
        'application/x-www-form-urlencoded': { schema: SmartfloIvrBody },
        'multipart/form-data': { schema: SmartfloIvrBody },
      },
      required: true,
    },
  },
  responses: {
    200: {
      content: { 'application/json': { schema: SmartfloResult } },
      description: 'Created; the message and the Location header (GET /compat/smartflo/v1/ivr/{id}) carry its id',
      headers: z.object({ Location: z.string() }),
    },
    400: failure('A field is missing, invalid, or something our IVR cannot hold; the message names each field'),
    ...failures,
  },
});

export const listSmartfloIvrs = createRoute({
  method: 'get', path: '/v1/ivr', tags, security, middleware: [requirePermission('ivr.read')] as const,
  summary: 'Your IVRs in the shape they are created in',
  responses: { 200: { content: { 'application/json': { schema: z.array(SmartfloIvr) } }, description: 'Newest first' }, ...failures },
});

export const getSmartfloIvr = createRoute({
  method: 'get', path: '/v1/ivr/{id}', tags, security, middleware: [requirePermission('ivr.read')] as const,
  summary: 'One IVR in the shape it is created in',
  request: { params: SmartfloIdParam },
  responses: {
    200: { content: { 'application/json': { schema: SmartfloIvr } }, description: 'The IVR; timeout_recording and timeout_retry_recording are its one timeout prompt' },
    ...failures,
    404: failure('No such IVR in your organization'),
  },
});
