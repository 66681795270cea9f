/** Auto-dialers (our campaigns): list, create and update text dialers, add numbers, switch on / pause / off. */
import { z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppEnv } from '../../../context.ts';
import { ConflictError, ValidationError } from '../../../../domain/errors.ts';
import {
  campaignTotals, createCampaign, getCampaign, listCampaigns, switchCampaign, updateCampaign, CAMPAIGN_STATUSES,
} from '../../../../services/campaigns/campaign-service.ts';
import { MAX_BATCH_RECORDS, MAX_NUMBERS_PER_REQUEST, addNumbers, recordFrom, type AddResult } from '../../../../services/campaigns/campaign-numbers.ts';
import { createContactList, listContactLists } from '../../../../services/campaigns/contact-lists.ts';
import { vendorTime } from '../../../../services/compat/ivrsolutions/call-logs.ts';
import { f, type vendorRouter } from './kit.ts';
import { campaignDeps as campaignDepsOf } from '../../campaigns/index.ts';

type Router = ReturnType<typeof vendorRouter>;

/** The vendor's dialers have no weekdays: they dial every day inside their window. */
const EVERY_DAY = [0, 1, 2, 3, 4, 5, 6];
const HHMM = z.string().trim().regex(/^\d{2}:\d{2}$/, 'use HH:mm (24 h)');
const variable = z.union([z.string().max(500), z.number()]);

const Dialer = z.object({
  id: z.string(), name: z.string(), did_no: z.string(), status: z.string().openapi({ description: 'on | paused | off' }),
  start_time: z.string(), end_time: z.string(), no_of_calls: z.number().int(), total_numbers: z.number().int(), completed: z.number().int(), pending: z.number().int(),
});

const Record_ = z.object({ number: f.phone() }).catchall(variable).openapi({ description: 'A number; every other field is one of its variables (name, order_id, …)' });

const AddOne = z.object({ dialerid: f.id().openapi({ description: 'Dialer id', example: '101' }), number: f.phone() })
  .catchall(variable).openapi({ description: 'Every field besides dialerid and number is a variable of the number (name, order_id, …)' });
const AddBulk = z.strictObject({
  dialerid: f.id(),
  numbers: f.list(z.union([f.phone(), Record_]), MAX_NUMBERS_PER_REQUEST).openapi({ description: `Numbers with their variables (at most ${MAX_NUMBERS_PER_REQUEST})` }),
});
const AddRecords = z.strictObject({
  dialerid: f.opt(f.id()).openapi({ description: 'The dialer: required (the vendor\'s document names none; Switchboard must know which campaign)' }),
  recordList: f.list(Record_, MAX_BATCH_RECORDS),
});
const Status = z.strictObject({ dialerid: f.id(), status: z.enum(CAMPAIGN_STATUSES).openapi({ description: 'on: dial; paused: place no new calls; off: also hang up the calls in progress' }) });

const textDialerFields = {
  name: f.text(100),
  did_no: f.phone(),
  no_of_call: f.int(1, 200).openapi({ description: 'Calls at once' }),
  start_time: HHMM,
  end_time: HHMM,
  text_template_id: f.id().openapi({ description: 'Text template id (or name)' }),
};
const CreateText = z.strictObject({ ...textDialerFields, send_call_flow_id: f.opt(f.id()).openapi({ description: 'Call flow whose menu follows the message' }) });
const UpdateText = z.strictObject({
  id: f.id(),
  name: f.opt(textDialerFields.name), did_no: f.opt(textDialerFields.did_no), no_of_call: f.opt(textDialerFields.no_of_call),
  start_time: f.opt(HHMM), end_time: f.opt(HHMM), text_template_id: f.opt(textDialerFields.text_template_id),
});

const Added = z.object({
  message: z.string(),
  duplicates: z.array(z.object({ index: z.number().int(), number: z.string() })).optional().openapi({ description: 'Numbers already in the dialer (kept once); only when there are some' }),
  invalid: z.array(z.object({ index: z.number().int(), value: z.string(), message: z.string() })).optional().openapi({ description: 'Refused records; only when there are some' }),
});
const ContactList = z.object({ id: z.string(), name: z.string(), count: z.number().int(), created_at: z.string() });

const campaignDeps = (c: Context<AppEnv>) => ({ ...campaignDepsOf(c.get('deps')), dialer: c.get('deps').dialer });

function added(c: Context<AppEnv>, res: AddResult, noun: string) {
  if (res.added > 0) c.get('deps').dialer?.kick();
  return {
    message: `${res.added} ${noun}${res.added === 1 ? '' : 's'} added to dialer successfully`,
    ...(res.duplicates.length > 0 && { duplicates: res.duplicates }),
    ...(res.invalid.length > 0 && { invalid: res.invalid }),
  };
}

export function dialerRoutes(r: Router): void {
  r.route({
    methods: ['get', 'post'], path: '/api/get_dialers_list', source: 'client', permission: 'campaign.read', style: 'code', input: z.strictObject({}),
    output: z.object({ data: z.array(Dialer) }), summary: 'Dialers (campaigns) with their numbers\' progress',
    handle: async (c) => {
      const { adb: db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const totals = await campaignTotals(db, orgId);
      return {
        data: (await listCampaigns(db, orgId)).map((row) => {
          const t = totals.get(row.id);
          return {
            id: row.id, name: row.name, did_no: row.did, status: row.status, start_time: row.windowStart, end_time: row.windowEnd,
            no_of_calls: row.concurrency, total_numbers: t?.numbers ?? 0, completed: t?.completed ?? 0, pending: (t?.pending ?? 0) + (t?.dialing ?? 0),
          };
        }),
      };
    },
  });
  r.route({
    methods: ['post'], path: '/api/add_to_ivrdialer', source: 'named', permission: 'campaign.write', style: 'bool', input: AddOne, output: z.object({ message: z.string() }),
    summary: 'Add one number (its other fields are its variables) to a dialer',
    handle: async (c, b) => {
      const { dialerid, ...record } = b;
      const d = campaignDeps(c);
      const res = await addNumbers(d.db, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, dialerid, [recordFrom(record)], 1);
      if (res.invalid[0]) throw new ValidationError('Invalid number', [{ field: 'number', message: res.invalid[0].message }]);
      if (res.duplicates[0]) throw new ConflictError(`${res.duplicates[0].number} is already in the dialer`, { type: 'campaign_number', number: res.duplicates[0].number });
      d.dialer?.kick();
      return { message: 'Number added to dialer successfully' };
    },
  });
  r.route({
    methods: ['post'], path: '/api/add_to_ivrdialerbulk', source: 'seed', permission: 'campaign.write', style: 'bool', input: AddBulk, output: Added,
    summary: `Add up to ${MAX_NUMBERS_PER_REQUEST} numbers with their variables to a dialer`,
    handle: async (c, b) => {
      const d = campaignDeps(c);
      const records = b.numbers.map((n) => (typeof n === 'string' ? { number: n } : recordFrom(n)));
      return added(c, await addNumbers(d.db, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, b.dialerid, records, MAX_NUMBERS_PER_REQUEST), 'number');
    },
  });
  r.route({
    methods: ['post'], path: '/api/add_dialer_records', source: 'named', permission: 'campaign.write', style: 'bool', input: AddRecords, output: Added,
    summary: `Add a batch of records (up to ${MAX_BATCH_RECORDS}) to a dialer`,
    handle: async (c, b) => {
      if (b.dialerid === undefined) throw new ValidationError('Which dialer?', [{ field: 'dialerid', message: 'required: the dialer to add the records to' }]);
      const d = campaignDeps(c);
      return added(c, await addNumbers(d.db, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, b.dialerid, b.recordList.map((n) => recordFrom(n)), MAX_BATCH_RECORDS), 'record');
    },
  });
  r.route({
    methods: ['post'], path: '/api/change_dialer_status', source: 'seed', permission: 'campaign.write', style: 'bool', input: Status, output: z.object({ message: z.string() }),
    summary: 'Start (on), pause or stop (off) a dialer; takes effect at once',
    handle: async (c, b) => {
      const d = campaignDeps(c);
      const row = await switchCampaign(d, c.get('principal').orgId, b.dialerid, b.status);
      d.dialer?.kick();
      return { message: `Dialer status changed to ${row.status}` };
    },
  });
  r.route({
    methods: ['post'], path: '/api/create_text_dialer', source: 'seed', permission: 'campaign.write', style: 'bool', input: CreateText,
    output: z.object({ message: z.string(), dialer_id: z.string() }),
    summary: 'Create a text-to-speech dialer (paused; every day inside its window)',
    handle: async (c, b) => {
      const row = await createCampaign(campaignDeps(c), c.get('principal').orgId, {
        name: b.name, did: b.did_no, no_of_call: b.no_of_call, start_time: b.start_time, end_time: b.end_time, days: EVERY_DAY,
        template: b.text_template_id, flow_id: b.send_call_flow_id ?? null,
      });
      return { message: 'Text dialer created successfully', dialer_id: row.id };
    },
  });
  r.route({
    methods: ['post'], path: '/api/update_text_dialer', source: 'named', permission: 'campaign.write', style: 'bool', input: UpdateText, output: z.object({ message: z.string() }),
    summary: 'Change a text dialer: the fields given (null = unchanged)',
    handle: async (c, b) => {
      const d = campaignDeps(c);
      const orgId = c.get('principal').orgId;
      await getCampaign(d.db, orgId, b.id);
      await updateCampaign(d, orgId, b.id, {
        ...(b.name !== undefined && { name: b.name }), ...(b.did_no !== undefined && { did: b.did_no }),
        ...(b.no_of_call !== undefined && { no_of_call: b.no_of_call }), ...(b.start_time !== undefined && { start_time: b.start_time }),
        ...(b.end_time !== undefined && { end_time: b.end_time }), ...(b.text_template_id !== undefined && { template: b.text_template_id }),
      });
      d.dialer?.kick();
      return { message: 'Dialer updated successfully' };
    },
  });
  r.route({
    methods: ['get', 'post'], path: '/api/get_customer_lists', source: 'named', permission: 'contact.read', style: 'code', input: z.strictObject({}),
    output: z.object({ data: z.array(ContactList) }), summary: 'Contact lists with their sizes',
    handle: async (c) => {
      const tz = c.get('deps').config.DEFAULT_TIMEZONE;
      return { data: (await listContactLists(c.get('deps').adb, c.get('principal').orgId)).map((l) => ({ id: l.id, name: l.name, count: l.contacts, created_at: vendorTime(l.createdAt, tz)! })) };
    },
  });
  r.route({
    methods: ['post'], path: '/api/create_customer_list', source: 'named', permission: 'contact.write', style: 'bool', input: z.strictObject({ listname: f.text(100) }),
    output: z.object({ message: z.string(), list_id: z.string() }), summary: 'Create an empty contact list',
    handle: async (c, b) => ({ message: 'Customer list created successfully', list_id: (await createContactList(c.get('deps').adb, c.get('principal').orgId, b.listname)).id }),
  });
}
