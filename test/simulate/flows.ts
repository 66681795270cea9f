/**
 * The organization every simulator test walks, configured through the API as an admin would: extensions, a queue,
 * an AI agent, a business-hours schedule, a main menu with a nested one, and DIDs. `req` is an admin's JSON request
 * (the test API's or the controller harness's); it fails on a non-2xx answer.
 */
export type Req = <T = Record<string, unknown>>(method: string, path: string, body?: unknown) => Promise<T>;

export const MAIN_DID = '+918065978001';
export const HOURS_DID = '+918065978002';
export const BOT_DID = '+918065978003';

export interface Flows {
  main: string;
  support: string;
  afterHours: string;
  schedule: string;
  agent: string;
}

export async function buildFlows(req: Req): Promise<Flows> {
  await req('POST', '/api/v1/extensions', { number: '1001', name: 'Asha', voicemail_enabled: true, voicemail_greeting: 'Asha is away. Leave a message.' });
  await req('POST', '/api/v1/extensions', { number: '1002', name: 'Ravi', voicemail_enabled: false });
  await req('POST', '/api/v1/queues', { number: '5001', name: 'Sales', agents: [{ extension: '1001' }] });
  const agent = await req<{ id: string }>('POST', '/api/v1/ai-agents', {
    name: 'Support bot', ws_url: 'ws://127.0.0.1:9/never', fallback_destination: { type: 'extension', value: '1002' },
  });
  const support = await req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'Support', extension: '7002', timeout: 1, max_retries: 2 });
  await req('PUT', `/api/v1/ivrs/${support.id}/menu`, {
    options: [
      { digit: '1', action_type: 'external', action_destination: '+919944421125' },
      { digit: '0', action_type: 'hangup', action_destination: null },
    ],
  });
  const main = await req<{ id: string }>('POST', '/api/v1/ivrs', {
    name: 'Main', extension: '7001', timeout: 1, inter_digit_timeout: 1, max_retries: 2,
    enable_direct_dial: true, direct_dial_policy: 'all',
    timeout_destination: { type: 'extension', value: '1002' },
    invalid_destination: { type: 'voicemail', value: '1001' },
  });
  await req('PUT', `/api/v1/ivrs/${main.id}/menu`, {
    options: [
      { digit: '1', action_type: 'extension', action_destination: '1001' },
      { digit: '2', action_type: 'queue', action_destination: '5001' },
      { digit: '3', action_type: 'ivr', action_destination: support.id },
      { digit: '4', action_type: 'voicemail', action_destination: '1001' },
      { digit: '5', action_type: 'ai_agent', action_destination: agent.id },
      { digit: '6', action_type: 'callback', action_destination: null },
      { digit: '0', action_type: 'hangup', action_destination: null },
    ],
  });
  await req('POST', `/api/v1/ivrs/${main.id}/generate-greeting`, { text: 'Welcome to Acme. Press 1 for Asha.' });
  const afterHours = await req<{ id: string }>('POST', '/api/v1/ivrs', { name: 'After hours', extension: '7003', timeout: 1, max_retries: 1 });
  await req('PUT', `/api/v1/ivrs/${afterHours.id}/menu`, { options: [{ digit: '0', action_type: 'hangup', action_destination: null }] });
  const schedule = await req<{ id: string }>('POST', '/api/v1/business-hours', {
    name: 'Office', timezone: 'America/New_York',
    weekly: { mon: [{ start: '09:00', end: '17:00' }] },
    open_destination: { type: 'ivr', value: main.id },
    closed_destination: { type: 'ivr', value: afterHours.id },
  });
  await routeDid(req, MAIN_DID, 'ivr', main.id);
  await routeDid(req, HOURS_DID, 'time_condition', schedule.id);
  await routeDid(req, BOT_DID, 'ai_agent', agent.id);
  await req('POST', `/api/v1/ivrs/${main.id}/publish`);
  return { main: main.id, support: support.id, afterHours: afterHours.id, schedule: schedule.id, agent: agent.id };
}

export async function routeDid(req: Req, number: string, type: string, destination: string): Promise<string> {
  const did = await req<{ id: string }>('POST', '/api/v1/dids', { number, assign: true });
  await req('PUT', `/api/v1/dids/${did.id}`, { routing_type: type, routing_destination: destination });
  return did.id;
}

/** A path step without its time: what a simulated and a real call must agree on. */
export function untimed(path: ReadonlyArray<Record<string, unknown>>): Array<Record<string, unknown>> {
  return path.map(({ at: _at, ...rest }) => rest);
}
