/** The API's shapes as the console reads them (snake_case as the API sends them). */

export interface Destination {
  type: string;
  value: string | null;
}

export interface MenuOption {
  id?: string;
  digit: string;
  action_type: string;
  action_destination: string | null;
  description: string | null;
}

export interface Ivr {
  id: string;
  name: string;
  extension: string;
  description: string | null;
  greeting_text: string | null;
  greeting_prompt: string | null;
  greeting_language: string;
  greeting_voice: string;
  timeout: number;
  inter_digit_timeout: number;
  max_retries: number;
  timeout_retries: number | null;
  invalid_retries: number | null;
  timeout_prompt: string | null;
  invalid_prompt: string | null;
  timeout_destination: Destination | null;
  invalid_destination: Destination | null;
  status: string;
  menuOptions: MenuOption[];
}

export interface Did {
  id: string;
  number: string;
  description: string | null;
  status: string;
  routing_type: string | null;
  routing_destination: string | null;
}

export interface Extension { id: string; number: string; name: string; enabled: boolean; voicemail_enabled: boolean }
export interface Queue { id: string; number: string; name: string }

export interface Schedule {
  id: string;
  name: string;
  timezone: string;
  weekly: Record<string, Array<{ start: string; end: string }>>;
  holidays: Array<{ date: string; name: string }>;
  open_destination: Destination;
  closed_destination: Destination;
}

export interface Agent {
  id: string;
  name: string;
  ws_url: string;
  headers: Record<string, string>;
  dialect: string;
  audio_format: string;
  system_prompt: string | null;
  language: string;
  opening_text: string | null;
  connect_timeout_ms: number;
  fallback_destination: Destination | null;
}

export interface BotLeg {
  id: string;
  call_id: string;
  started_at: string;
  duration_ms: number;
  end_reason: string;
  end_detail: string | null;
  dtmf: string;
}

/** A finding of POST /config/validate (and, without the location fields, of publish). */
export interface Problem {
  code: string;
  message: string;
  path: string;
  section?: string;
  object_id?: string | null;
  ivr_id?: string | null;
  option?: string | null;
  field?: string | null;
}

export interface ValidationReport { ok: boolean; problems: Problem[]; warnings: Problem[] }

export interface Me { kind: 'user' | 'api_key'; org_id: string; role: string | null; allowed: string[] }

export interface LiveCall {
  call_id: string;
  did: string | null;
  caller: string | null;
  contact_name: string | null;
  started_at: string;
  answered_at: string | null;
  state: string;
  ivr_id: string | null;
  ivr_name: string | null;
  digits: string;
  last_selection: { ivr_id: string; digits: string; action: string; destination: string | null } | null;
  with: string | null;
  source: 'this_instance' | 'other_instance';
}

export interface CallLog {
  id: string;
  type: string;
  did: string | null;
  caller_number: string | null;
  agent: string | null;
  start_time: string;
  end_time: string | null;
  duration: number | null;
  status: string;
  outcome: string | null;
  left_at: string | null;
  disposition: string | null;
  recording_url: string | null;
  dtmf_input: string;
  ivr_path: unknown[];
}

export interface Note { id: string; disposition: string | null; note: string | null; createdAt: string }
export interface Disposition { id: string; name: string }

export interface Version { version: number; createdAt: string; published_by: string | null; changed: string[] }

/** POST /api/v1/simulate (a dry call through the menus). */
export interface SimulateEvent { type: string; ivrId?: string; [key: string]: unknown }
export interface SimulateResult {
  events: SimulateEvent[];
  ivrPath: unknown[];
  end: { kind: string; destination: string | null; outcome: string | null };
  unusedKeys: string[];
}
