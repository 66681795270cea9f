import { createRoute } from '@hono/zod-openapi';
import { requirePermission } from '../../../middleware/auth.ts';
import { GetIvrQuery, ListIvrsQuery, UpdateIvrBody, UpdateIvrQuery, YeastarError, YeastarGetIvrResult, YeastarListIvrsResult, YeastarOk } from './schemas.ts';

const tags = ['Compat: Yeastar'];
/** Yeastar's access_token, as a security scheme of the document (registered by the adapter). */
export const security: Array<Record<string, string[]>> = [{ yeastarAccessToken: [] }, { bearerAuth: [] }, { apiKeyAuth: [] }];
const failure = (description: string) => ({ content: { 'application/json': { schema: YeastarError } }, description });
const failures = {
  401: failure('access_token missing or not valid: errcode -1, invalid_param_list names access_token'),
  403: failure('The credential lacks the permission invalid_param_list names'),
};

export const getIvr = createRoute({
  method: 'get', path: '/openapi/v1.0/ivr/get', tags, security, middleware: [requirePermission('ivr.read')] as const,
  summary: 'Query information of an IVR (Yeastar ivr/get)',
  description:
    "Our IVR as Yeastar's IVR_DetailInfo. Ids are our 4-digit numbers read as integers (IVR 7001 → 7001, extension 1001 → 1001). " +
    "Yeastar features we do not have (outbound routes, voicemail check, Alert-Info, prompt manager, out-of-IVR recording) show as off; " +
    'menu options of types Yeastar has no word for (callback, ai_agent, time_condition, repeat) show under our type name.',
  request: { query: GetIvrQuery },
  responses: {
    200: { content: { 'application/json': { schema: YeastarGetIvrResult } }, description: 'errcode 0, errmsg SUCCESS, data' },
    400: failure('id is not an integer: errcode 40002 PARAMETER ERROR'),
    ...failures,
    404: failure('No IVR with that id in your organization: invalid_param_list names id'),
  },
});

export const listIvrs = createRoute({
  method: 'get', path: '/openapi/v1.0/ivr/list', tags, security, middleware: [requirePermission('ivr.read')] as const,
  summary: 'Query the IVR list (Yeastar ivr/list), to find ids',
  request: { query: ListIvrsQuery },
  responses: {
    200: { content: { 'application/json': { schema: YeastarListIvrsResult } }, description: 'Every IVR (one page with page/page_size), by id unless sort_by says otherwise' },
    400: failure('A parameter is invalid'),
    ...failures,
  },
});

export const updateIvr = createRoute({
  method: 'post', path: '/openapi/v1.0/ivr/update', tags, security, middleware: [requirePermission('ivr.write')] as const,
  summary: 'Edit an IVR (Yeastar ivr/update): the body mirrors ivr/get\'s data',
  description:
    'Fields sent change; the others stay. A key (pressX_dest, _dest_prefix, _dest_value): with _dest sent, the two others ' +
    'default to ""; without it they change the current destination; _dest "" removes the key. prompt_repeat sets both the ' +
    'timeout and the invalid-key limit. A prompt is "default" or a .wav of the sounds folder (it becomes the greeting). ' +
    'Anything our IVR cannot hold (a ring group, a conference, dial-out prefixes, outbound routes…) is a 400 naming the field, ' +
    'and nothing is written. Not published: publish with POST /api/v1/ivrs/{id}/publish.',
  request: { query: UpdateIvrQuery, body: { content: { 'application/json': { schema: UpdateIvrBody } }, required: true } },
  responses: {
    200: { content: { 'application/json': { schema: YeastarOk } }, description: 'errcode 0, errmsg SUCCESS' },
    400: failure('errcode 40002 PARAMETER ERROR; invalid_param_list names each field'),
    ...failures,
    404: failure('No IVR with that id in your organization'),
    409: failure('number is taken by another IVR, queue or extension: duplicate_field_list names it'),
  },
});
