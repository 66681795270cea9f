import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import { toCallLogDto } from '../../../services/call-logs/store.ts';
import {
  addNote, getCallLogWithLegs, listCallLogPage, listNotes, syncCallLogPage, type CallNoteRow,
} from '../../../services/call-logs/call-log-service.ts';
import { toBotLegDto } from './bot-legs.ts';
import { createNoteRoute, getRoute, listNotesRoute, listRoute, syncRoute } from './routes.ts';

const noteDto = (r: CallNoteRow) => ({
  id: r.id, call_id: r.callLogId, disposition_id: r.dispositionId, disposition: r.disposition, note: r.note,
  author_id: r.authorId, createdAt: r.createdAt,
});

export function callLogRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(listRoute, async (c) => {
      const q = c.req.valid('query');
      const { adb: db, config } = c.get('deps');
      const { rows, total } = await listCallLogPage(db, c.get('principal').orgId, q, config.DEFAULT_COUNTRY_CODE);
      const base = config.PUBLIC_URL ?? '';
      return c.json({ calls: rows.map((r) => toCallLogDto(r, base)), total, limit: q.limit, offset: q.offset }, 200);
    })
    .openapi(syncRoute, async (c) => {
      const q = c.req.valid('query');
      const { adb: db, config } = c.get('deps');
      const page = await syncCallLogPage(db, c.get('principal').orgId, { after: q.after, afterIds: q.after_id, limit: q.limit, type: q.type });
      const base = config.PUBLIC_URL ?? '';
      return c.json({
        calls: page.rows.map((r) => ({ ...toCallLogDto(r, base), seq: r.seq! })),
        next_after: page.nextAfter,
        has_more: page.hasMore,
      }, 200);
    })
    .openapi(getRoute, async (c) => {
      const { adb: db, config } = c.get('deps');
      const { row, legs } = await getCallLogWithLegs(db, c.get('principal').orgId, c.req.valid('param').id);
      return c.json({ ...toCallLogDto(row, config.PUBLIC_URL ?? ''), bot_legs: legs.map(toBotLegDto) }, 200);
    })
    .openapi(listNotesRoute, async (c) => {
      const rows = await listNotes(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.json(rows.map(noteDto), 200);
    })
    .openapi(createNoteRoute, async (c) => {
      const { adb: db, now } = c.get('deps');
      const row = await addNote(db, c.get('principal'), c.req.valid('param').id, c.req.valid('json'), now);
      return c.json(noteDto(row), 201);
    });
}
