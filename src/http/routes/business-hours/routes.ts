import { createRoute, z } from '@hono/zod-openapi';
import { FINAL_DESTINATION_TYPES } from '../../../domain/destinations.ts';
import type { WEEKDAYS } from '../../../domain/business-hours.ts';
import { requirePermission } from '../../middleware/auth.ts';
import { IdParam, conflictResponse, errorResponses, jsonBody, jsonContent, security } from '../../schemas.ts';

// Formats are checked by the service (src/domain/business-hours.ts, the one place of those rules); the
// patterns here only document them.
const Range = z
  .object({
    start: z.string().max(5).openapi({ example: '09:00', description: 'HH:mm, 00:00–23:59 (inclusive)' }),
    end: z.string().max(5).openapi({ example: '17:30', description: 'HH:mm, up to 24:00 (exclusive)' }),
  })
  .openapi('TimeRange');

const Day = z.array(Range).max(24).optional();
const Week = z
  .object({ sun: Day, mon: Day, tue: Day, wed: Day, thu: Day, fri: Day, sat: Day } satisfies Record<(typeof WEEKDAYS)[number], typeof Day>)
  .strict()
  .openapi('WeeklyHours', {
    description: 'Open ranges per weekday (sun … sat; a day left out is closed). Ranges of a day may not overlap; one that runs past midnight is two ranges',
    example: { mon: [{ start: '09:00', end: '13:00' }, { start: '14:00', end: '18:00' }], sat: [{ start: '10:00', end: '24:00' }] },
  });

const Holiday = z
  .object({
    date: z.string().max(10).openapi({ example: '2026-12-25', description: 'YYYY-MM-DD in the schedule\'s timezone; closed all day' }),
    name: z.string().trim().min(1).max(100).openapi({ example: 'Christmas' }),
  })
  .openapi('Holiday');

const Destination = z
  .object({
    type: z.enum(FINAL_DESTINATION_TYPES),
    value: z.string().max(2000).nullable().optional()
      .openapi({ description: 'Extension/queue number, IVR, AI agent or schedule UUID, E.164; null for hangup/callback' }),
  })
  .openapi('ScheduleDestination');

const StoredDestination = z.object({ type: z.string(), value: z.string().nullable() });

export const ScheduleSchema = z
  .object({
    id: z.string(),
    name: z.string().openapi({ example: 'Office hours' }),
    timezone: z.string().openapi({ example: 'Asia/Kolkata' }),
    weekly: z.record(z.string(), z.array(z.object({ start: z.string(), end: z.string() }))).openapi({ description: 'Every weekday, sun … sat, with its ranges in order' }),
    holidays: z.array(z.object({ date: z.string(), name: z.string() })),
    open_destination: StoredDestination,
    closed_destination: StoredDestination,
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi('BusinessHours');

const fields = {
  name: z.string().trim().min(1).max(100),
  timezone: z.string().trim().min(1).max(64).openapi({ example: 'America/New_York', description: 'IANA timezone name' }),
  weekly: Week,
  holidays: z.array(Holiday).max(1000),
  open_destination: Destination.openapi({ description: 'Where calls go while open' }),
  closed_destination: Destination.openapi({ description: 'Where calls go while closed (and on holidays)' }),
};

export const CreateScheduleBody = z
  .object({ ...fields, weekly: fields.weekly.default({}), holidays: fields.holidays.default([]) })
  .openapi('CreateBusinessHours');
export const UpdateScheduleBody = z.object(fields).partial().openapi('UpdateBusinessHours');

const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?(Z|[+-]\d{2}:\d{2})$/;
export const StatusQuery = z.object({
  at: z.string().regex(ISO_INSTANT, 'must be an ISO 8601 time with Z or an offset, e.g. 2026-03-08T07:30:00Z')
    .refine((v) => !Number.isNaN(Date.parse(v)), 'is not a real time')
    .optional()
    .openapi({ param: { name: 'at', in: 'query' }, example: '2026-03-08T07:30:00Z', description: 'The instant to evaluate; default now' }),
});

const StatusSchema = z
  .object({
    open: z.boolean(),
    reason: z.enum(['open', 'closed', 'holiday']),
    local_time: z.string().openapi({ example: '2026-03-08T03:30:00-04:00', description: 'The instant on the schedule\'s clock' }),
    timezone: z.string(),
    holiday: z.string().optional().openapi({ description: 'The holiday\'s name, when reason is holiday' }),
    next_change: z.string().optional().openapi({ description: 'When it next opens or closes (UTC); absent if not within a year' }),
  })
  .openapi('BusinessHoursStatus');

const tags = ['Business hours'];
const authErrors = { 401: errorResponses[401], 403: errorResponses[403] };

export const listSchedules = createRoute({
  method: 'get', path: '/business-hours', tags, security, summary: 'List business-hours schedules (time_condition destinations), by name',
  middleware: [requirePermission('schedule.read')] as const,
  responses: { 200: jsonContent(z.array(ScheduleSchema), 'Schedules of your organization'), ...authErrors },
});

export const getSchedule = createRoute({
  method: 'get', path: '/business-hours/{id}', tags, security, summary: 'Get one schedule',
  middleware: [requirePermission('schedule.read')] as const,
  request: { params: IdParam },
  responses: { 200: jsonContent(ScheduleSchema, 'The schedule'), ...authErrors, 404: errorResponses[404] },
});

export const scheduleStatus = createRoute({
  method: 'get', path: '/business-hours/{id}/status', tags, security,
  summary: 'Open or closed at an instant (default now), by the schedule\'s wall clock, and when that next changes',
  middleware: [requirePermission('schedule.read')] as const,
  request: { params: IdParam, query: StatusQuery },
  responses: { 200: jsonContent(StatusSchema, 'The status'), ...errorResponses },
});

export const createSchedule = createRoute({
  method: 'post', path: '/business-hours', tags, security, summary: 'Create a schedule',
  middleware: [requirePermission('schedule.write')] as const,
  request: jsonBody(CreateScheduleBody),
  responses: { 201: jsonContent(ScheduleSchema, 'Created'), ...errorResponses, ...conflictResponse },
});

export const updateSchedule = createRoute({
  method: 'put', path: '/business-hours/{id}', tags, security, summary: 'Update a schedule (partial; weekly and holidays, when sent, replace the whole set)',
  middleware: [requirePermission('schedule.write')] as const,
  request: { params: IdParam, ...jsonBody(UpdateScheduleBody) },
  responses: { 200: jsonContent(ScheduleSchema, 'Updated'), ...errorResponses, ...conflictResponse },
});

export const deleteSchedule = createRoute({
  method: 'delete', path: '/business-hours/{id}', tags, security,
  summary: 'Delete a schedule; 409 while a DID, menu option, fallback, queue exit or schedule still routes to it',
  middleware: [requirePermission('schedule.write')] as const,
  request: { params: IdParam },
  responses: { 204: { description: 'Deleted' }, ...authErrors, 404: errorResponses[404], ...conflictResponse },
});
