import { OpenAPIHono } from '@hono/zod-openapi';
import type { AppEnv } from '../../context.ts';
import {
  createSchedule, deleteSchedule, getSchedule, listSchedules, scheduleStatus, updateSchedule,
} from '../../../services/business-hours/business-hours-service.ts';
import * as routes from './routes.ts';

export function businessHoursRoutes() {
  return new OpenAPIHono<AppEnv>()
    .openapi(routes.listSchedules, (c) => c.json(listSchedules(c.get('deps').db, c.get('principal').orgId), 200))
    .openapi(routes.getSchedule, (c) => c.json(getSchedule(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id), 200))
    .openapi(routes.scheduleStatus, (c) => {
      const { db, now } = c.get('deps');
      const at = c.req.valid('query').at;
      return c.json(scheduleStatus(db, c.get('principal').orgId, c.req.valid('param').id, at === undefined ? now() : new Date(at)), 200);
    })
    .openapi(routes.createSchedule, (c) => c.json(createSchedule(c.get('deps').db, c.get('principal').orgId, c.req.valid('json')), 201))
    .openapi(routes.updateSchedule, (c) => c.json(updateSchedule(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id, c.req.valid('json')), 200))
    .openapi(routes.deleteSchedule, (c) => {
      deleteSchedule(c.get('deps').db, c.get('principal').orgId, c.req.valid('param').id);
      return c.body(null, 204);
    });
}
