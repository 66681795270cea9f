import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security, serverErrorResponse } from '../../schemas.ts';
import { CreateIvrBody, DeleteResult, GreetingBody, GreetingResult, IvrSchema, IvrWithMenuSchema, MenuBody, UpdateIvrBody } from './schemas.ts';

const tags = ['IVRs'];
const canRead = requirePermission('ivr.read');
const canWrite = requirePermission('ivr.write');
const { 400: badRequest, ...authAndNotFound } = errorResponses;
const auth = { 401: errorResponses[401], 403: errorResponses[403] };

export const listIvrs = createRoute({
  method: 'get', path: '/ivrs', tags, security, middleware: [canRead] as const,
  summary: 'List IVRs (newest first), each with its menuOptions',
  responses: {
    200: jsonContent(z.array(IvrWithMenuSchema), 'IVRs of your organization; carries an ETag that changes with every write to them'),
    304: { description: 'Not modified: If-None-Match equals the current ETag' },
    ...auth,
  },
});

export const getIvr = createRoute({
  method: 'get', path: '/ivrs/{id}', tags, security, middleware: [canRead] as const,
  summary: 'One IVR with its menu options',
  request: { params: IdParam },
  responses: { 200: jsonContent(IvrWithMenuSchema, 'The IVR'), ...authAndNotFound },
});

export const createIvr = createRoute({
  method: 'post', path: '/ivrs', tags, security, middleware: [canWrite] as const,
  summary: 'Create an IVR (extension unique across IVRs, queues and user extensions)',
  request: jsonBody(CreateIvrBody),
  responses: { 201: jsonContent(IvrSchema, 'Created'), 400: badRequest, ...auth, ...conflictResponse },
});

export const updateIvr = createRoute({
  method: 'put', path: '/ivrs/{id}', tags, security, middleware: [canWrite] as const,
  summary: 'Update an IVR (partial)',
  request: { params: IdParam, ...jsonBody(UpdateIvrBody) },
  responses: { 200: jsonContent(IvrSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});

export const deleteIvr = createRoute({
  method: 'delete', path: '/ivrs/{id}', tags, security, middleware: [canWrite] as const,
  summary: 'Delete an IVR and its menu; reports phone numbers and objects still pointing at it',
  request: { params: IdParam },
  responses: {
    204: { description: 'Deleted; nothing pointed at it' },
    200: jsonContent(DeleteResult, 'Deleted, but these DIDs are now dead and these references dangle until re-routed'),
    ...authAndNotFound,
  },
});

export const putMenu = createRoute({
  method: 'put', path: '/ivrs/{id}/menu', tags, security, middleware: [canWrite] as const,
  summary: 'Replace the whole menu atomically (options is required; [] clears the menu)',
  request: { params: IdParam, ...jsonBody(MenuBody) },
  responses: { 200: jsonContent(IvrWithMenuSchema, 'The IVR with its new menu'), ...errorResponses },
});

export const generateGreeting = createRoute({
  method: 'post', path: '/ivrs/{id}/generate-greeting', tags, security, middleware: [canWrite] as const,
  summary: 'Synthesize the greeting with text-to-speech and store it as greeting_ivr_<id>.wav',
  request: { params: IdParam, ...jsonBody(GreetingBody) },
  responses: { 200: jsonContent(GreetingResult, 'Greeting generated'), ...errorResponses, ...serverErrorResponse },
});

export const greetingAudio = createRoute({
  method: 'get', path: '/ivrs/{id}/greeting-audio', tags, security, middleware: [canRead] as const,
  summary: 'The greeting as audio/wav (mono 16-bit PCM)',
  request: { params: IdParam },
  responses: {
    200: { content: { 'audio/wav': { schema: z.string().openapi({ format: 'binary' }) } }, description: 'WAV bytes' },
    ...authAndNotFound,
  },
});
