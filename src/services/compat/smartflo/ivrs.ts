import { transaction, type Db } from '../../../db/handle.ts';
import type { Config } from '../../../runtime/env.ts';
import { createIvr, type DestinationInput } from '../../ivrs/ivr-service.ts';
import { replaceMenu, validateMenu, type MenuOption, type MenuOptionInput } from '../../ivrs/menu.ts';
import { getIvrWithMenu, listIvrsWithMenus } from '../../ivrs/queries.ts';
import { soundFilePath, stageGreetingFile } from '../../ivrs/sound-files.ts';
import { nextFreeNumber } from '../../numbers/extension-numbers.ts';
import type { IvrWithMenuDto } from '../../ivrs/dto.ts';
import { IssueList } from '../issues.ts';
import { formatDestination, formatRecording, parseFinalDestination, parseOptionDestination, recordingFile } from './fields.ts';

/** Smartflo's "Create IVR" body, typed (the HTTP layer checked the types and ranges). */
export interface SmartfloIvrInput {
  name: string;
  description: string;
  recording: string;
  timeout: number;
  option: string[];
  destination: string[];
  incorrect_count: number;
  timeout_recording: string;
  invalid_recording: string;
  invalid_destination: string;
  timeout_retry_recording: string;
  timeout_destination: string;
  sms_template?: number[] | undefined;
  timeout_tries: number;
}

/** An IVR read back in the shape it is created in, plus its id. */
export type SmartfloIvr = { id: string } & Required<SmartfloIvrInput>;

export interface SmartfloDeps {
  db: Db;
  config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR' | 'TTS_SAMPLE_RATE'>;
}

/** Our field (as our services name it) → Smartflo's. */
function smartfloField(field: string): string {
  const option = /^options\.(\d+)\.(\w+)$/.exec(field);
  if (option) return option[2] === 'digit' ? `option[${option[1]}]` : `destination[${option[1]}]`;
  const renames: Record<string, string> = {
    'timeout_destination.value': 'timeout_destination',
    'invalid_destination.value': 'invalid_destination',
    timeout_retries: 'timeout_tries',
    invalid_retries: 'incorrect_count',
    timeout_prompt: 'timeout_retry_recording',
    invalid_prompt: 'invalid_recording',
  };
  return renames[field] ?? field;
}

/** A recording's sound file name; an issue when it is not `recording|<id>` or its file is not in the sounds folder. */
function recording(deps: SmartfloDeps, raw: string, field: string, issues: IssueList): string | null {
  const file = recordingFile(raw);
  if (!file) issues.add(field, `"${raw}" is not a recording id: write recording|<id>, e.g. "recording|28935"`);
  else if (!soundFilePath(deps.config, file)) issues.add(field, `recording ${raw.split('|')[1]} is not here: put its audio in the sounds folder as ${file}`);
  return file;
}

/**
 * Maps Smartflo's fields onto our IVR. What our model cannot hold is refused, naming the field: SMS templates,
 * and a timeout_recording other than timeout_retry_recording (our IVR plays one timeout prompt, at every timeout
 * and before the timeout destination).
 */
function mapInput(deps: SmartfloDeps, input: SmartfloIvrInput, issues: IssueList) {
  if (input.sms_template && input.sms_template.length > 0) issues.add('sms_template', 'SMS templates are not supported here: send none');
  if (input.option.length !== input.destination.length) {
    issues.add('destination', `one destination per option: ${input.option.length} option(s), ${input.destination.length} destination(s)`);
  }
  const menu: MenuOptionInput[] = input.option.map((digit, i) => {
    const d = i < input.destination.length ? parseOptionDestination(input.destination[i]!, `destination[${i}]`, issues) : null;
    return { digit, action_type: d?.type ?? 'hangup', action_destination: d?.value ?? null };
  });
  const timeoutDestination: DestinationInput | null = parseFinalDestination(input.timeout_destination, 'timeout_destination', issues);
  const invalidDestination: DestinationInput | null = parseFinalDestination(input.invalid_destination, 'invalid_destination', issues);
  const greeting = recording(deps, input.recording, 'recording', issues);
  const timeoutPrompt = recording(deps, input.timeout_retry_recording, 'timeout_retry_recording', issues);
  if (input.timeout_recording.trim() !== input.timeout_retry_recording.trim()) {
    issues.add('timeout_recording', 'must be the same recording as timeout_retry_recording: this IVR plays one timeout recording, at every timeout and before timeout_destination');
  }
  const invalidPrompt = recording(deps, input.invalid_recording, 'invalid_recording', issues);
  return { menu, timeoutDestination, invalidDestination, greeting, timeoutPrompt, invalidPrompt };
}

/**
 * Creates the IVR, its menu and its greeting (the `recording`'s sound file) in one transaction: every problem
 * is reported at once, in Smartflo's field names, and a refused request leaves nothing behind. The IVR takes
 * the organization's next free extension number (Smartflo IVRs have none).
 */
export async function createSmartfloIvr(deps: SmartfloDeps, orgId: string, input: SmartfloIvrInput): Promise<SmartfloIvr> {
  const { db } = deps;
  const issues: IssueList = new IssueList(smartfloField);
  const m = mapInput(deps, input, issues);
  const staged = issues.issues.some((i) => i.field === 'recording') ? null : await stageGreetingFile(deps.config, m.greeting!);
  if (staged && 'problem' in staged) issues.add('recording', staged.problem);
  try {
    // Our services check the rest inside the transaction; any problem (ours or theirs) rolls everything back.
    const id = await transaction(db, async (tx) => {
      const menu = await issues.collectAsync<MenuOption[]>(() => validateMenu(tx, orgId, m.menu));
      const extension = await nextFreeNumber(tx, orgId);
      const row = await issues.collectAsync(() =>
        createIvr(tx, orgId, {
          name: input.name, extension, description: input.description, timeout: input.timeout,
          timeout_retries: input.timeout_tries, invalid_retries: input.incorrect_count,
          timeout_prompt: m.timeoutPrompt, invalid_prompt: m.invalidPrompt,
          timeout_destination: m.timeoutDestination, invalid_destination: m.invalidDestination,
        }),
      );
      issues.throwIfAny();
      // Past throwIfAny nothing is missing: each gap came with an issue.
      if (!row || !menu || !staged || 'problem' in staged) throw new Error('unreachable: a gap without an issue');
      await replaceMenu(tx, orgId, row.id, menu);
      await staged.staged.install(tx, orgId, row.id, { greetingPrompt: staged.prompt, greetingText: null });
      return row.id;
    });
    return await getSmartfloIvr(db, orgId, id);
  } finally {
    if (staged && !('problem' in staged)) await staged.staged.discard();
  }
}

function toSmartflo(ivr: IvrWithMenuDto): SmartfloIvr {
  return {
    id: ivr.id,
    name: ivr.name,
    description: ivr.description ?? '',
    recording: formatRecording(ivr.greeting_prompt),
    timeout: ivr.timeout,
    option: ivr.menuOptions.map((o) => o.digit),
    destination: ivr.menuOptions.map((o) => formatDestination({ type: o.action_type, value: o.action_destination })),
    incorrect_count: ivr.invalid_retries ?? ivr.max_retries,
    // One timeout prompt plays at every timeout and before the timeout destination: it is both recordings.
    timeout_recording: formatRecording(ivr.timeout_prompt),
    invalid_recording: formatRecording(ivr.invalid_prompt),
    invalid_destination: formatDestination(ivr.invalid_destination),
    timeout_retry_recording: formatRecording(ivr.timeout_prompt),
    timeout_destination: formatDestination(ivr.timeout_destination),
    sms_template: [],
    timeout_tries: ivr.timeout_retries ?? ivr.max_retries,
  };
}

export async function getSmartfloIvr(db: Db, orgId: string, id: string): Promise<SmartfloIvr> {
  return toSmartflo(await getIvrWithMenu(db, orgId, id));
}

export async function listSmartfloIvrs(db: Db, orgId: string): Promise<SmartfloIvr[]> {
  return (await listIvrsWithMenus(db, orgId)).map(toSmartflo);
}
