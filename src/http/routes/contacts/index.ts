import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import {
  createContact, deleteContact, getContact, listCallVariables, listContacts, lookupContact, updateContact, type ContactRow,
} from '../../../services/contacts/contact-service.ts';
import {
  callVariablesRoute, createContactRoute, deleteContactRoute, getContactRoute, listContactsRoute, lookupContactRoute, updateContactRoute,
} from './routes.ts';

const toDto = (r: ContactRow) => ({
  id: r.id, name: r.name, phone: r.phone, email: r.email, company: r.company, variables: r.variables, createdAt: r.createdAt, updatedAt: r.updatedAt,
});

/** Handlers parse, authorize (route middleware) and shape; src/services/contacts does the work. */
export function contactRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listContactsRoute, async (c) => {
      const q = c.req.valid('query');
      const { adb, config } = c.get('deps');
      const { rows, total } = await listContacts(adb, c.get('principal').orgId, q, config.DEFAULT_COUNTRY_CODE);
      return c.json({ contacts: rows.map(toDto), total, limit: q.limit, offset: q.offset }, 200);
    })
    // Before /contacts/{id}, so "lookup" is never taken for an id.
    .openapi(lookupContactRoute, async (c) => {
      const { adb, config } = c.get('deps');
      return c.json(toDto(await lookupContact(adb, c.get('principal').orgId, c.req.valid('query').phone, config.DEFAULT_COUNTRY_CODE)), 200);
    })
    .openapi(createContactRoute, async (c) => {
      const { adb, config } = c.get('deps');
      const { number, phone, ...rest } = c.req.valid('json');
      const row = await createContact(adb, c.get('principal').orgId, { ...rest, phone: (phone ?? number)! }, config.DEFAULT_COUNTRY_CODE);
      return c.json(toDto(row), 201);
    })
    .openapi(getContactRoute, async (c) => c.json(toDto(await getContact(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(updateContactRoute, async (c) => {
      const { adb, config } = c.get('deps');
      const row = await updateContact(adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json'), config.DEFAULT_COUNTRY_CODE);
      return c.json(toDto(row), 200);
    })
    .openapi(deleteContactRoute, async (c) => {
      await deleteContact(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(callVariablesRoute, async (c) => c.json({ variables: await listCallVariables(c.get('deps').adb, c.get('principal').orgId) }, 200));
}
