import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import {
  createSchedule, deleteSchedule, getSchedule, listSchedules, scheduleStatus, updateSchedule,
} from '../../../services/business-hours/business-hours-service.ts';
import * as routes from './routes.ts';

export function businessHoursRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.listSchedules, async (c) => c.json(await listSchedules(c.get('deps').adb, c.get('principal').orgId), 200))
    .openapi(routes.getSchedule, async (c) => c.json(await getSchedule(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(routes.scheduleStatus, async (c) => {
      const { adb, now } = c.get('deps');
      const at = c.req.valid('query').at;
      return c.json(await scheduleStatus(adb, c.get('principal').orgId, c.req.valid('param').id, at === undefined ? now() : new Date(at)), 200);
    })
    .openapi(routes.createSchedule, async (c) => c.json(await createSchedule(c.get('deps').adb, c.get('principal').orgId, c.req.valid('json')), 201))
    .openapi(routes.updateSchedule, async (c) => c.json(await updateSchedule(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.deleteSchedule, async (c) => {
      await deleteSchedule(c.get('deps').adb, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
