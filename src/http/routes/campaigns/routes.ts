import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

const tags = ['Campaigns'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

const HHMM = z.string().regex(/^\d{2}:\d{2}$/, 'HH:mm');
const Retry = z.object({
  attempts: z.number().int().min(1).max(10).openapi({ description: 'Attempts in all for this outcome (1 = no retry)' }),
  spacing_minutes: z.number().min(0).max(7 * 24 * 60).openapi({ description: 'Minutes between attempts' }),
});
const fields = {
  name: z.string().trim().min(1).max(100),
  did: z.string().min(3).max(32).openapi({ description: 'One of the organization\'s DIDs: the caller ID customers see' }),
  template: z.string().min(1).max(64).nullable().openapi({ description: 'Text template (id or name) spoken to each customer with their variables' }),
  text_template_id: z.string().min(1).max(64).nullable().openapi({ description: 'The vendor\'s name for `template`' }),
  flow_id: z.string().min(1).max(64).nullable().openapi({ description: 'A published IVR whose menu runs (after the template, when there is one)' }),
  no_of_call: z.number().int().min(1).max(200).openapi({ description: 'At most this many calls at once' }),
  start_time: HHMM.openapi({ example: '09:30' }),
  end_time: HHMM.openapi({ example: '18:00', description: 'Exclusive; before start_time = past midnight' }),
  days: z.array(z.union([z.number().int(), z.string().min(3).max(9)])).min(1).max(7).openapi({ example: ['mon', 'tue', 'wed', 'thu', 'fri'] }),
  timezone: z.string().min(1).max(64).openapi({ description: 'IANA zone of the window (default: DEFAULT_TIMEZONE, the organization\'s)' }),
  retry: z.object({ busy: Retry, no_answer: Retry, failed: Retry }).partial(),
  contact_list_id: z.string().nullable(),
  status: z.enum(['on', 'paused', 'off']),
};

export const CreateCampaignBody = z
  .object({
    ...fields,
    template: fields.template.optional(),
    text_template_id: fields.text_template_id.optional(),
    flow_id: fields.flow_id.optional(),
    no_of_call: fields.no_of_call.default(1),
    start_time: fields.start_time.default('09:00'),
    end_time: fields.end_time.default('18:00'),
    days: fields.days.default([1, 2, 3, 4, 5]),
    timezone: fields.timezone.optional(),
    retry: fields.retry.optional(),
    contact_list_id: fields.contact_list_id.optional(),
    status: fields.status.default('paused'),
  })
  .openapi('CreateCampaign');
export const UpdateCampaignBody = z.object(fields).partial().openapi('UpdateCampaign');

const Totals = z.object({ numbers: z.number(), pending: z.number(), dialing: z.number(), completed: z.number(), answered: z.number(), failed: z.number(), dnc: z.number() });
export const CampaignSchema = z
  .object({
    id: z.string(), name: z.string(), did: z.string(), status: z.string(),
    template_id: z.string().nullable(), flow_id: z.string().nullable(), no_of_call: z.number(),
    start_time: z.string(), end_time: z.string(), days: z.array(z.number()), timezone: z.string(),
    retry: z.object({ busy: Retry, no_answer: Retry, failed: Retry }), contact_list_id: z.string().nullable(),
    totals: Totals,
    window: z.object({ open: z.boolean(), local_time: z.string(), next_change: z.string().nullable() }),
    createdAt: z.string(), updatedAt: z.string(),
  })
  .openapi('Campaign');

const NumberRecord = z
  .object({
    number: z.string().min(1).max(32),
    variables: z.record(z.string(), z.union([z.string(), z.number()])).optional(),
    country_code: z.string().max(4).optional(),
  })
  .catchall(z.union([z.string().max(500), z.number()]))
  .openapi({ description: 'A number with its variables (in `variables`, or as extra fields: {"number": "…", "name": "John", "order_id": "A1"})' });
const AddResult = z.object({
  added: z.number(),
  duplicates: z.array(z.object({ index: z.number(), number: z.string() })),
  invalid: z.array(z.object({ index: z.number(), value: z.string(), message: z.string() })),
}).openapi('AddNumbersResult');

const CampaignNumber = z.object({
  id: z.string(), number: z.string(), variables: z.record(z.string(), z.string()), status: z.string(), attempts: z.number(),
  next_attempt_at: z.string().nullable(), last_outcome: z.string().nullable(), answered: z.boolean(), last_call_id: z.string().nullable(),
}).openapi('CampaignNumber');

const Paging = z.object({
  limit: z.coerce.number().int().min(1).max(500).default(50),
  offset: z.coerce.number().int().min(0).default(0),
});

export const listRoute = createRoute({
  method: 'get', path: '/campaigns', tags, security, middleware: [requirePermission('campaign.read')] as const, summary: 'Campaigns with their totals and whether their window is open',
  responses: { 200: jsonContent(z.object({ campaigns: z.array(CampaignSchema) }), 'Campaigns'), ...authErrors },
});
export const getRoute = createRoute({
  method: 'get', path: '/campaigns/{id}', tags, security, middleware: [requirePermission('campaign.read')] as const, summary: 'One campaign', request: { params: IdParam },
  responses: { 200: jsonContent(CampaignSchema, 'Campaign'), ...errorResponses },
});
export const createRoute_ = createRoute({
  method: 'post', path: '/campaigns', tags, security, middleware: [requirePermission('campaign.write')] as const,
  summary: 'Create a dialer campaign (paused unless status says on)', request: jsonBody(CreateCampaignBody),
  responses: { 201: jsonContent(CampaignSchema, 'Created'), ...errorResponses, ...conflictResponse },
});
export const updateRoute = createRoute({
  method: 'put', path: '/campaigns/{id}', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Change a campaign (any fields)',
  request: { params: IdParam, ...jsonBody(UpdateCampaignBody) },
  responses: { 200: jsonContent(CampaignSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});
export const deleteRoute = createRoute({
  method: 'delete', path: '/campaigns/{id}', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Delete a campaign that is not on', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses, ...conflictResponse },
});
export const statusRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/status', tags, security, middleware: [requirePermission('campaign.write')] as const,
  summary: 'on: dial; paused: place no new calls; off: place none and hang up the calls in progress. Takes effect at once',
  request: { params: IdParam, ...jsonBody(z.object({ status: fields.status })) },
  responses: { 200: jsonContent(CampaignSchema, 'Updated'), ...errorResponses },
});
export const addNumberRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/numbers', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Add one number with its variables',
  request: { params: IdParam, ...jsonBody(NumberRecord) },
  responses: { 200: jsonContent(AddResult, 'Added, or reported as a duplicate or invalid'), ...errorResponses },
});
export const addBulkRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/numbers/bulk', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Add up to 100 numbers (more is a 400)',
  request: { params: IdParam, ...jsonBody(z.object({ numbers: z.array(z.union([z.string().max(32), NumberRecord])).max(10_000) })) },
  responses: { 200: jsonContent(AddResult, 'Added / duplicates / invalid'), ...errorResponses },
});
export const addBatchRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/numbers/batch', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Add a batch of records (up to 10,000)',
  request: { params: IdParam, ...jsonBody(z.object({ records: z.array(NumberRecord).max(10_001) })) },
  responses: { 200: jsonContent(AddResult, 'Added / duplicates / invalid'), ...errorResponses },
});
export const listNumbersRoute = createRoute({
  method: 'get', path: '/campaigns/{id}/numbers', tags, security, middleware: [requirePermission('campaign.read')] as const, summary: 'A campaign\'s numbers and where the dialer is with each',
  request: { params: IdParam, query: Paging.extend({ status: z.enum(['pending', 'dialing', 'completed', 'failed', 'dnc']).optional() }) },
  responses: { 200: jsonContent(z.object({ numbers: z.array(CampaignNumber), total: z.number() }), 'Numbers'), ...errorResponses },
});
export const attachListRoute = createRoute({
  method: 'post', path: '/campaigns/{id}/contact-list', tags, security, middleware: [requirePermission('campaign.write')] as const,
  summary: 'Attach a contact list: its contacts become numbers (now, and as they are added to the list)',
  request: { params: IdParam, ...jsonBody(z.object({ contact_list_id: z.string().min(1) })) },
  responses: { 200: jsonContent(AddResult, 'Numbers added'), ...errorResponses },
});
export const logsRoute = createRoute({
  method: 'get', path: '/campaign-logs', tags, security, middleware: [requirePermission('campaign.read')] as const, summary: 'Every campaign call attempt: answered, keys, outcome, duration, recording',
  request: { query: Paging.extend({ campaign_id: z.string().optional() }) },
  responses: {
    200: jsonContent(z.object({
      attempts: z.array(z.object({
        call_id: z.string(), campaign_id: z.string(), number: z.string(), attempt: z.number(), status: z.string(), answered: z.boolean(),
        outcome: z.string().nullable(), dtmf: z.string(), duration_s: z.number().nullable(), hangup_cause: z.string().nullable(),
        started_at: z.string().nullable(), ended_at: z.string().nullable(), recording_url: z.string().nullable(),
      })),
      total: z.number(),
    }), 'Attempts, newest first'),
    ...authErrors,
  },
});

const ContactList = z.object({ id: z.string(), name: z.string(), contacts: z.number(), createdAt: z.string() }).openapi('ContactList');
export const listListsRoute = createRoute({
  method: 'get', path: '/contact-lists', tags, security, middleware: [requirePermission('contact.read')] as const, summary: 'Contact lists with their sizes',
  responses: { 200: jsonContent(z.object({ lists: z.array(ContactList) }), 'Lists'), ...authErrors },
});
export const getListRoute = createRoute({
  method: 'get', path: '/contact-lists/{id}', tags, security, middleware: [requirePermission('contact.read')] as const, summary: 'A contact list and its contacts\' ids',
  request: { params: IdParam },
  responses: { 200: jsonContent(ContactList.extend({ contact_ids: z.array(z.string()) }), 'List'), ...errorResponses },
});
export const createListRoute = createRoute({
  method: 'post', path: '/contact-lists', tags, security, middleware: [requirePermission('contact.write')] as const, summary: 'Create a contact list',
  request: jsonBody(z.object({ name: z.string().trim().min(1).max(100) })),
  responses: { 201: jsonContent(ContactList, 'Created'), ...errorResponses, ...conflictResponse },
});
export const deleteListRoute = createRoute({
  method: 'delete', path: '/contact-lists/{id}', tags, security, middleware: [requirePermission('contact.write')] as const, summary: 'Delete a list no campaign uses',
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...errorResponses, ...conflictResponse },
});
export const addContactsRoute = createRoute({
  method: 'post', path: '/contact-lists/{id}/contacts', tags, security, middleware: [requirePermission('contact.write')] as const, summary: 'Add contacts to a list',
  request: { params: IdParam, ...jsonBody(z.object({ contact_ids: z.array(z.string()).min(1).max(1000) })) },
  responses: { 200: jsonContent(z.object({ added: z.number() }), 'Added'), ...errorResponses },
});
export const removeContactRoute = createRoute({
  method: 'delete', path: '/contact-lists/{id}/contacts/{contactId}', tags, security, middleware: [requirePermission('contact.write')] as const,
  summary: 'Remove a contact from a list',
  request: { params: z.object({ id: z.string().openapi({ param: { name: 'id', in: 'path' } }), contactId: z.string().openapi({ param: { name: 'contactId', in: 'path' } }) }) },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});

const Dnc = z.object({ number: z.string(), reason: z.string().nullable(), createdAt: z.string() }).openapi('DncNumber');
export const listDncRoute = createRoute({
  method: 'get', path: '/dnc', tags, security, middleware: [requirePermission('campaign.read')] as const, summary: 'The organization\'s do-not-call list',
  request: { query: Paging },
  responses: { 200: jsonContent(z.object({ numbers: z.array(Dnc), total: z.number() }), 'Numbers'), ...authErrors },
});
export const addDncRoute = createRoute({
  method: 'post', path: '/dnc', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Add numbers the dialer must never call',
  request: jsonBody(z.object({ numbers: z.array(z.string().min(1).max(32)).min(1).max(1000), reason: z.string().max(200).optional() })),
  responses: { 200: jsonContent(z.object({ added: z.number(), numbers: z.array(z.string()) }), 'Added'), ...errorResponses },
});
export const removeDncRoute = createRoute({
  method: 'delete', path: '/dnc/{number}', tags, security, middleware: [requirePermission('campaign.write')] as const, summary: 'Take a number off the do-not-call list',
  request: { params: z.object({ number: z.string().openapi({ param: { name: 'number', in: 'path' } }) }) },
  responses: { 204: { description: 'Removed' }, ...errorResponses },
});
