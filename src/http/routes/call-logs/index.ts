import { OpenAPIHono } from '@hono/zod-openapi';
import { and, desc, eq, sql } from 'drizzle-orm';
import type { AppEnv } from '../../context.ts';
import { callNotes } from '../../../db/schema/index.ts';
import { normalizeE164 } from '../../../services/numbers/phone.ts';
import { ValidationError } from '../../../services/errors.ts';
import { resolveDisposition } from '../../../services/dispositions/disposition-service.ts';
import { legsOfCall, toBotLegDto } from './bot-legs.ts';
import { createNoteRoute, getRoute, listNotesRoute, listRoute, syncRoute } from './routes.ts';
import { feedSeqOf, getCallLog, listCallLogs, syncCallLogs, toCallLogDto } from '../../../services/call-logs/store.ts';

type NoteRow = typeof callNotes.$inferSelect;
const noteDto = (r: NoteRow) => ({
  id: r.id, call_id: r.callLogId, disposition_id: r.dispositionId, disposition: r.disposition, note: r.note,
  author_id: r.authorId, createdAt: r.createdAt,
});

const DAY_MS = 86_400_000;
const iso = (v: string, endOfDay: boolean) => {
  const bareDate = /^\d{4}-\d{2}-\d{2}$/.test(v);
  const t = Date.parse(bareDate ? `${v}T00:00:00Z` : v);
  return new Date(bareDate && endOfDay ? t + DAY_MS : t).toISOString();
};

export function callLogRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, (c) => {
      const q = c.req.valid('query');
      const { db, config } = c.get('deps');
      let phones: string[] | undefined;
      if (q.phone !== undefined) {
        const e164 = normalizeE164(q.phone, config.DEFAULT_COUNTRY_CODE);
        if (!e164) throw new ValidationError('Invalid phone number', [{ field: 'phone', message: 'not a valid phone number' }]);
        phones = [...new Set([e164, e164.slice(1), q.phone.trim()])];
      }
      const { rows, total } = listCallLogs(db, {
        orgId: c.get('principal').orgId,
        from: q.from ? iso(q.from, false) : undefined,
        to: q.to ? iso(q.to, true) : undefined,
        phones,
        type: q.type,
        limit: q.limit,
        offset: q.offset,
      });
      const base = config.PUBLIC_URL ?? '';
      return c.json({ calls: rows.map((r) => toCallLogDto(r, base)), total, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(syncRoute, (c) => {
      const q = c.req.valid('query');
      const { db, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      let after = q.after ?? 0;
      if (q.after_id !== undefined) {
        for (const id of q.after_id.split(',').map((s) => s.trim()).filter(Boolean)) after = Math.max(after, feedSeqOf(db, orgId, id));
      }
      const rows = syncCallLogs(db, orgId, after, q.limit + 1, q.type);
      const page = rows.slice(0, q.limit);
      const base = config.PUBLIC_URL ?? '';
      return c.json({
        calls: page.map((r) => ({ ...toCallLogDto(r, base), seq: r.seq! })),
        next_after: page.at(-1)?.seq ?? after,
        has_more: rows.length > q.limit,
      }, 200);
    })
    .openapi(getRoute, (c) => {
      const { db, config } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const row = getCallLog(db, orgId, c.req.valid('param').id);
      const legs = legsOfCall(db, orgId, row.id).map(toBotLegDto);
      return c.json({ ...toCallLogDto(row, config.PUBLIC_URL ?? ''), bot_legs: legs }, 200);
    })
    .openapi(listNotesRoute, (c) => {
      const { db } = c.get('deps');
      const orgId = c.get('principal').orgId;
      const call = getCallLog(db, orgId, c.req.valid('param').id);
      const rows = db.select().from(callNotes).where(and(eq(callNotes.orgId, orgId), eq(callNotes.callLogId, call.id)))
        .orderBy(desc(callNotes.createdAt), desc(sql`rowid`)).all();
      return c.json(rows.map(noteDto), 200);
    })
    .openapi(createNoteRoute, (c) => {
      const { db, now } = c.get('deps');
      const p = c.get('principal');
      const call = getCallLog(db, p.orgId, c.req.valid('param').id);
      const body = c.req.valid('json');
      const disposition = resolveDisposition(db, p.orgId, body);
      const row = db.insert(callNotes).values({
        orgId: p.orgId, callLogId: call.id, dispositionId: disposition?.id ?? null, disposition: disposition?.name ?? null,
        note: body.note ?? null, authorId: p.id, createdAt: now().toISOString(),
      }).returning().get();
      return c.json(noteDto(row), 201);
    });
}
