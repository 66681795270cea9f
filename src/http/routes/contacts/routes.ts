import { createRoute, z } from '@hono/zod-openapi';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';
import { CONTACT_VARIABLE_KEY, MAX_CONTACT_VARIABLES, MAX_CONTACT_VARIABLE_CHARS } from '../../../domain/contacts.ts';

const Variables = z
  .record(
    z.string().regex(CONTACT_VARIABLE_KEY, 'a key is a lowercase letter, then up to 39 lowercase letters, digits or _'),
    z.string().max(MAX_CONTACT_VARIABLE_CHARS, `a value is at most ${MAX_CONTACT_VARIABLE_CHARS} characters`),
  )
  .refine((v) => Object.keys(v).length <= MAX_CONTACT_VARIABLES, `at most ${MAX_CONTACT_VARIABLES} variables`)
  .openapi({
    description: 'Call variables (string → string): calls from this contact carry them as contact_<key>',
    example: { order_id: 'ORD12345', tier: 'gold' },
  });

export const ContactSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'John Doe' }),
    phone: z.string().openapi({ example: '+919876543210', description: 'E.164' }),
    email: z.string().nullable(),
    company: z.string().nullable(),
    variables: z.record(z.string(), z.string()),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('Contact');

const fields = {
  name: z.string().trim().min(1).max(200),
  phone: z.string().trim().min(3).max(32).openapi({ example: '09876543210', description: 'Any format: +91 98765 43210, 09876543210, 9876543210' }),
  number: z.string().trim().min(3).max(32).openapi({ description: 'The seed API\'s name for phone' }),
  country_code: z.string().regex(/^\+?\d{1,3}$/, 'a country code such as +91').openapi({ example: '+91', description: 'For a local-format number; default DEFAULT_COUNTRY_CODE' }),
  email: z.string().trim().email().max(254).nullable(),
  company: z.string().trim().max(200).nullable(),
  variables: Variables,
};

export const CreateContactBody = z
  .object({
    name: fields.name,
    phone: fields.phone.optional(),
    number: fields.number.optional(),
    country_code: fields.country_code.optional(),
    email: fields.email.optional(),
    company: fields.company.optional(),
    variables: Variables.optional(),
  })
  .refine((b) => b.phone !== undefined || b.number !== undefined, { message: 'required', path: ['phone'] })
  .openapi('CreateContact');

export const UpdateContactBody = z
  .object({
    name: fields.name.optional(),
    phone: fields.phone.optional(),
    country_code: fields.country_code.optional(),
    email: fields.email.optional(),
    company: fields.company.optional(),
    variables: Variables.optional().openapi({ description: 'Replaces the whole map' }),
  })
  .openapi('UpdateContact');

const ListQuery = z.object({
  q: z.string().max(200).optional().openapi({ param: { name: 'q', in: 'query' }, description: 'Part of the name, email or number; a number in any format (09876543210 finds +919876543210)' }),
  limit: z.coerce.number().int().min(1).max(500).default(50).openapi({ param: { name: 'limit', in: 'query' } }),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).openapi({ param: { name: 'offset', in: 'query' } }),
});

const LookupQuery = z.object({
  phone: z.string().trim().min(3).max(32).openapi({ param: { name: 'phone', in: 'query' }, example: '09876543210' }),
});

const Page = z
  .object({ contacts: z.array(ContactSchema), total: z.number().int(), limit: z.number().int(), offset: z.number().int() })
  .openapi('ContactPage');

const CallVariableSchema = z
  .object({
    key: z.string().openapi({ example: 'contact_order_id' }),
    source: z.enum(['call', 'contact']).openapi({ description: 'call: every call has it; contact: a variable some contact has' }),
    description: z.string(),
  })
  .openapi('CallVariable');

const tags = ['Contacts'];
const read = requirePermission('contact.read');
const write = requirePermission('contact.write');
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listContactsRoute = createRoute({
  method: 'get', path: '/contacts', tags, security, middleware: [read] as const,
  summary: 'The organization\'s contacts by name; search with q', request: { query: ListQuery },
  responses: { 200: jsonContent(Page, 'One page; total counts every match'), 400: errorResponses[400], ...authErrors },
});
export const lookupContactRoute = createRoute({
  method: 'get', path: '/contacts/lookup', tags, security, middleware: [read] as const,
  summary: 'The contact saved under a phone number (any format)', request: { query: LookupQuery },
  responses: { 200: jsonContent(ContactSchema, 'The contact'), ...errorResponses },
});
export const createContactRoute = createRoute({
  method: 'post', path: '/contacts', tags, security, middleware: [write] as const,
  summary: 'Save a contact (one per number: a second is a 409 naming the first)', request: jsonBody(CreateContactBody),
  responses: { 201: jsonContent(ContactSchema, 'Created'), ...errorResponses, ...conflictResponse },
});
export const getContactRoute = createRoute({
  method: 'get', path: '/contacts/{id}', tags, security, middleware: [read] as const,
  summary: 'One contact', request: { params: IdParam },
  responses: { 200: jsonContent(ContactSchema, 'The contact'), ...authErrors, 404: errorResponses[404] },
});
export const updateContactRoute = createRoute({
  method: 'put', path: '/contacts/{id}', tags, security, middleware: [write] as const,
  summary: 'Update a contact (partial; variables replace the whole map)', request: { params: IdParam, ...jsonBody(UpdateContactBody) },
  responses: { 200: jsonContent(ContactSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});
export const deleteContactRoute = createRoute({
  method: 'delete', path: '/contacts/{id}', tags, security, middleware: [write] as const,
  summary: 'Delete a contact (call logs keep the name and variables they were written with)', request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404] },
});
export const callVariablesRoute = createRoute({
  method: 'get', path: '/call-variables', tags, security, middleware: [read] as const,
  summary: 'The variable keys templates and flows can use: every call\'s own, then each contact variable as contact_<key>',
  responses: { 200: jsonContent(z.object({ variables: z.array(CallVariableSchema) }).openapi('CallVariables'), 'Variable keys'), ...authErrors },
});
