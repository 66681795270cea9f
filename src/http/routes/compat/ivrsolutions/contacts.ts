/** Contacts, call variables, caller details, CRM leads and webhook registration. */
import { z } from '@hono/zod-openapi';
import { NotFoundError } from '../../../../domain/errors.ts';
import { createContact, listCallVariables, lookupContact, type ContactRow } from '../../../../services/contacts/contact-service.ts';
import { listCallLogPage } from '../../../../services/call-logs/call-log-service.ts';
import { agentsByExtensionNumber } from '../../../../services/human-agents/queries.ts';
import { createWebhook } from '../../../../services/webhooks/webhook-service.ts';
import { toVendorCallLog } from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { leadsFromCalls } from '../../../../services/compat/ivrsolutions/leads.ts';
import { CreateBody as WebhookBody } from '../../webhooks/routes.ts';
import { VendorCallLogSchema } from './logs.ts';
import { f, type vendorRouter } from './kit.ts';

type Router = ReturnType<typeof vendorRouter>;

/** What the vendor's webhooks report: rings, answers, keys, hangups. */
const WEBHOOK_EVENTS = ['call.ringing', 'call.answered', 'call.dtmf', 'call.hangup'];
const RECENT_CALLS = 10;

const Contact = z.object({
  id: z.string(), name: z.string(), number: z.string(), email: z.string().nullable(), company: z.string().nullable(),
  variables: z.record(z.string(), z.string()),
});
const toVendor = (r: ContactRow) => ({ id: r.id, name: r.name, number: r.phone, email: r.email, company: r.company, variables: r.variables });

const Lookup = z.strictObject({ phone: f.phone().openapi({ example: '09876543210' }) });

export function contactRoutes(r: Router): void {
  r.route({
    methods: ['post'], path: '/api/save_contact', source: 'named', permission: 'contact.write', style: 'bool',
    input: z.strictObject({
      country_code: f.opt(z.string().trim().regex(/^\+?\d{1,3}$/, 'a calling code, e.g. "+91"')).openapi({ description: 'For a number in local format' }),
      name: f.text(200),
      number: f.phone(),
    }),
    output: z.object({ message: z.string(), contact_id: z.string() }), summary: 'Save a contact (one per number: a second is a 409)',
    handle: async (c, b) => {
      const { adb, config } = c.get('deps');
      const row = await createContact(adb, c.get('principal').orgId, { name: b.name, phone: b.number, country_code: b.country_code }, config.DEFAULT_COUNTRY_CODE);
      return { message: 'Contact saved successfully', contact_id: row.id };
    },
  });
  const lookup = (path: string, source: 'named', summary: string) => r.route({
    methods: ['get', 'post'], path, source, permission: 'contact.read', style: 'bool', input: Lookup, output: z.object({ data: Contact }), summary,
    handle: async (c, b) => {
      const { adb, config } = c.get('deps');
      return { data: toVendor(await lookupContact(adb, c.get('principal').orgId, b.phone, config.DEFAULT_COUNTRY_CODE)) };
    },
  });
  lookup('/api/get_contact', 'named', 'The contact saved under a number (any format)');
  lookup('/api/agent_get_contact', 'named', 'The contact as the agent sees it: agents see their organization\'s address book, so the same answer as get_contact');
  r.route({
    methods: ['get', 'post'], path: '/api/get_call_variables', source: 'named', permission: 'contact.read', style: 'bool', input: z.strictObject({}),
    output: z.object({ data: z.array(z.object({ key: z.string(), source: z.string(), description: z.string() })) }),
    summary: 'Variables templates and flows can use: each call\'s own, then contact_<key> for every contact variable',
    handle: async (c) => ({ data: await listCallVariables(c.get('deps').adb, c.get('principal').orgId) }),
  });
  r.route({
    methods: ['get', 'post'], path: '/api/caller_details', source: 'named', permission: 'contact.read', style: 'bool',
    input: z.strictObject({ caller_number: f.phone() }),
    output: z.object({ data: z.object({ caller_number: z.string(), contact: Contact.nullable(), calls: z.array(VendorCallLogSchema) }) }),
    summary: `A caller's saved contact (or null) and their newest ${RECENT_CALLS} calls`,
    handle: async (c, b) => {
      const { adb, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      let contact: ContactRow | null = null;
      try {
        contact = await lookupContact(adb, orgId, b.caller_number, config.DEFAULT_COUNTRY_CODE);
      } catch (err) {
        if (!(err instanceof NotFoundError)) throw err;
      }
      const { rows } = await listCallLogPage(adb, orgId, { phone: b.caller_number, limit: RECENT_CALLS, offset: 0 }, config.DEFAULT_COUNTRY_CODE);
      const agents = await agentsByExtensionNumber(adb, orgId);
      return {
        data: {
          caller_number: contact?.phone ?? b.caller_number, contact: contact ? toVendor(contact) : null,
          calls: rows.map((l) => toVendorCallLog(l, agents, config.PUBLIC_URL ?? '', config.DEFAULT_TIMEZONE)),
        },
      };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/crm_lead_data', source: 'named', permission: 'call.read', style: 'bool', input: z.strictObject({}),
    output: z.object({
      data: z.array(z.object({
        phone: z.string(), name: z.string().nullable(), calls: z.number().int(), last_call_id: z.string(), last_call_time: z.string(),
        last_call_type: z.string(), last_call_status: z.string(), disposition: z.string().nullable(),
      })),
    }),
    summary: 'Leads: one per number in the newest 500 calls, with its last call and latest disposition',
    handle: async (c) => {
      const { adb, config } = c.get('deps');
      return { data: await leadsFromCalls(adb, c.get('principal').orgId, { defaultCountryCode: config.DEFAULT_COUNTRY_CODE, timeZone: config.DEFAULT_TIMEZONE, window: 500 }) };
    },
  });
  r.route({
    methods: ['post'], path: '/api/register_webhook', source: 'named', permission: 'webhook.write', style: 'bool',
    input: z.strictObject({
      secret_key: f.opt(WebhookBody.shape.secret.unwrap()).openapi({ description: 'HMAC key (at least 16 characters); generated when omitted' }),
      webhookurl: WebhookBody.shape.url,
    }),
    output: z.object({ message: z.string(), webhook_id: z.string(), events: z.array(z.string()), secret_key: z.string().optional().openapi({ description: 'The generated key, shown once, when the request gave none' }) }),
    summary: `Register a URL for call events (${WEBHOOK_EVENTS.join(', ')}), signed with secret_key (docs/webhooks.md)`,
    handle: async (c, b) => {
      const row = await createWebhook(c.get('deps').adb, c.get('principal').orgId, { url: b.webhookurl, events: WEBHOOK_EVENTS, secret: b.secret_key, enabled: true });
      return { message: 'Webhook registered successfully', webhook_id: row.id, events: row.events, ...(b.secret_key === undefined && { secret_key: row.secret }) };
    },
  });
}
