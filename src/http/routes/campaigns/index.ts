import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { AppDeps, AppEnv } from '../../context.ts';
import {
  campaignTotals, campaignWindow, createCampaign, deleteCampaign, getCampaign, listCampaigns, switchCampaign, updateCampaign,
  type CampaignInput, type CampaignPatch, type CampaignRow, type CampaignTotals,
} from '../../../services/campaigns/campaign-service.ts';
import {
  MAX_BATCH_RECORDS, MAX_NUMBERS_PER_REQUEST, addNumbers, listCampaignNumbers, recordFrom, type NumberRecord,
} from '../../../services/campaigns/campaign-numbers.ts';
import {
  addToContactList, attachContactList, createContactList, deleteContactList, getContactList, listContactLists, removeFromContactList,
} from '../../../services/campaigns/contact-lists.ts';
import { addDnc, listDnc, removeDnc } from '../../../services/campaigns/dnc.ts';
import { listCampaignAttempts } from '../../../services/campaigns/campaign-logs.ts';
import * as r from './routes.ts';

const EMPTY: CampaignTotals = { numbers: 0, pending: 0, dialing: 0, completed: 0, answered: 0, failed: 0, dnc: 0 };

function toDto(row: CampaignRow, totals: CampaignTotals | undefined, at: Date) {
  const w = campaignWindow(row, at);
  const retry = (k: keyof CampaignRow['retry']) => ({ attempts: row.retry[k].attempts, spacing_minutes: row.retry[k].spacingS / 60 });
  return {
    id: row.id, name: row.name, did: row.did, status: row.status,
    template_id: row.play.kind === 'tts' ? row.play.templateId : null, flow_id: row.play.ivrId,
    no_of_call: row.concurrency, start_time: row.windowStart, end_time: row.windowEnd, days: row.days, timezone: row.timezone,
    retry: { busy: retry('busy'), no_answer: retry('no_answer'), failed: retry('failed') }, contact_list_id: row.contactListId,
    totals: totals ?? EMPTY,
    window: { open: w.open, local_time: w.localTime, next_change: w.nextChange?.toISOString() ?? null },
    createdAt: row.createdAt, updatedAt: row.updatedAt,
  };
}

const one = async (c: Context<AppEnv>, row: CampaignRow) => {
  const d = c.get('deps');
  return toDto(row, (await campaignTotals(d.adb, c.get('principal').orgId)).get(row.id), d.now());
};

/** What the campaign services need from the app's deps, the async handle as `db` (docs/postgres.md). */
export const campaignDeps = (d: AppDeps) => ({ db: d.adb, config: d.config, now: d.now, calls: d.calls });

/** The vendor's `text_template_id` is our `template`. */
const withTemplate = <T extends { template?: string | null | undefined; text_template_id?: string | null | undefined }>(b: T) =>
  ({ ...b, template: b.template !== undefined ? b.template : b.text_template_id }) as T;

export function campaignRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(r.listRoute, async (c) => {
      const { adb: db, now } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const totals = await campaignTotals(db, orgId);
      return c.json({ campaigns: (await listCampaigns(db, orgId)).map((row) => toDto(row, totals.get(row.id), now())) }, 200);
    })
    .openapi(r.getRoute, async (c) => c.json(await one(c, await getCampaign(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id)), 200))
    .openapi(r.createRoute_, async (c) => {
      const d = c.get('deps');
      const orgId = c.get('principal').orgId;
      const body = withTemplate(c.req.valid('json'));
      const row = await createCampaign(campaignDeps(d), orgId, body as CampaignInput);
      if (row.contactListId) await attachContactList(d.adb, d.config.DEFAULT_COUNTRY_CODE, orgId, row.id, row.contactListId);
      d.dialer?.kick();
      return c.json(await one(c, row), 201);
    })
    .openapi(r.updateRoute, async (c) => {
      const d = c.get('deps');
      const orgId = c.get('principal').orgId;
      const body = withTemplate(c.req.valid('json'));
      const before = await getCampaign(d.adb, orgId, c.req.valid('param').id);
      const row = await updateCampaign(campaignDeps(d), orgId, before.id, body as CampaignPatch);
      if (row.contactListId && row.contactListId !== before.contactListId) await attachContactList(d.adb, d.config.DEFAULT_COUNTRY_CODE, orgId, row.id, row.contactListId);
      d.dialer?.kick();
      return c.json(await one(c, row), 200);
    })
    .openapi(r.deleteRoute, async (c) => {
      await deleteCampaign(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(r.statusRoute, async (c) => {
      const d = c.get('deps');
      const row = await switchCampaign(campaignDeps(d), c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').status);
      d.dialer?.kick();
      return c.json(await one(c, row), 200);
    })
    .openapi(r.addNumberRoute, (c) => numbers(c, [recordFrom(c.req.valid('json'))], 1))
    .openapi(r.addBulkRoute, (c) =>
      numbers(c, c.req.valid('json').numbers.map((n) => (typeof n === 'string' ? { number: n } : recordFrom(n))), MAX_NUMBERS_PER_REQUEST))
    .openapi(r.addBatchRoute, (c) => numbers(c, c.req.valid('json').records.map((n) => recordFrom(n)), MAX_BATCH_RECORDS))
    .openapi(r.listNumbersRoute, async (c) => {
      const q = c.req.valid('query');
      const { rows, total } = await listCampaignNumbers(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, q);
      return c.json({
        numbers: rows.map((n) => ({
          id: n.id, number: n.number, variables: n.variables, status: n.status, attempts: n.attempts,
          next_attempt_at: n.status === 'pending' && n.nextAttemptAt > 0 ? new Date(n.nextAttemptAt).toISOString() : null,
          last_outcome: n.lastOutcome, answered: n.answered, last_call_id: n.lastCallId,
        })),
        total,
      }, 200);
    })
    .openapi(r.attachListRoute, async (c) => {
      const d = c.get('deps');
      const res = await attachContactList(d.adb, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').contact_list_id);
      d.dialer?.kick();
      return c.json(res, 200);
    })
    .openapi(r.logsRoute, async (c) => {
      const { adb, config } = c.get('deps');
      const q = c.req.valid('query');
      const { rows, total } = await listCampaignAttempts(adb, c.get('principal').orgId, { campaignId: q.campaign_id, limit: q.limit, offset: q.offset });
      const base = config.PUBLIC_URL ?? '';
      return c.json({
        attempts: rows.map(({ recording_id, ...a }) => ({ ...a, recording_url: recording_id ? `${base}/api/v1/calls/${a.call_id}/recordings/${recording_id}/download` : null })),
        total,
      }, 200);
    })
    .openapi(r.listListsRoute, async (c) => c.json({ lists: (await listContactLists(c.get('deps').adb, c.get('principal').orgId)).map(listDto) }, 200))
    .openapi(r.getListRoute, async (c) => {
      const l = await getContactList(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.json({ ...listDto(l), contact_ids: l.contactIds }, 200);
    })
    .openapi(r.createListRoute, async (c) => c.json(listDto(await createContactList(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json').name)), 201))
    .openapi(r.deleteListRoute, async (c) => {
      await deleteContactList(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    })
    .openapi(r.addContactsRoute, async (c) => {
      const d = c.get('deps');
      const res = await addToContactList(d.adb, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json').contact_ids);
      d.dialer?.kick();
      return c.json({ added: res.added }, 200);
    })
    .openapi(r.removeContactRoute, async (c) => {
      const { id, contactId } = c.req.valid('param');
      await removeFromContactList(c.get('deps').adb, c.get('principal').orgId, id, contactId);
      return c.body(null, 204);
    })
    .openapi(r.listDncRoute, async (c) => {
      const { rows, total } = await listDnc(c.get('deps').adb, c.get('principal').orgId, c.req.valid('query'));
      return c.json({ numbers: rows.map((n) => ({ number: n.number, reason: n.reason, createdAt: n.createdAt })), total }, 200);
    })
    .openapi(r.addDncRoute, async (c) => {
      const d = c.get('deps');
      const b = c.req.valid('json');
      return c.json(await addDnc(d.adb, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, b.numbers, b.reason ?? null), 200);
    })
    .openapi(r.removeDncRoute, async (c) => {
      const d = c.get('deps');
      await removeDnc(d.adb, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, decodeURIComponent(c.req.valid('param').number));
      return c.body(null, 204);
    });
}

const listDto = (l: { id: string; name: string; contacts: number; createdAt: string }) => ({ id: l.id, name: l.name, contacts: l.contacts, createdAt: l.createdAt });

async function numbers(c: Context<AppEnv>, records: NumberRecord[], limit: number) {
  const d = c.get('deps');
  const { id } = c.req.param() as { id: string };
  const res = await addNumbers(d.adb, d.config.DEFAULT_COUNTRY_CODE, c.get('principal').orgId, id, records, limit);
  if (res.added > 0) d.dialer?.kick();
  return c.json(res, 200);
}
