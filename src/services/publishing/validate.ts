/**
 * The publish dry run: the same compile and validation as publishing (src/publish/compile.ts), over the
 * organization's draft, without writing a version. Each finding says which object it is about, so a client
 * can show it where it belongs (the web console marks the IVR node or menu option).
 */
import { soundsDir, type Config } from '../../runtime/env.ts';
import { transaction, type Db } from '../../db/handle.ts';
import { compile, type Problem } from '../../publish/compile.ts';

/** A finding and where it is: `section` and `object_id` from its path; `ivr_id` and `option` for IVR findings. */
export interface LocatedProblem extends Problem {
  section: string;
  object_id: string | null;
  ivr_id: string | null;
  /** The menu option's digit, when the finding is about one option. */
  option: string | null;
  /** The rest of the path under the object (`timeout_destination`, `greeting`, `options`, …), or null. */
  field: string | null;
}

export interface ValidationReport {
  /** No problems: publishing would succeed. */
  ok: boolean;
  problems: LocatedProblem[];
  warnings: LocatedProblem[];
}

/** Splits a compile path (`ivrs.<id>.options.<digit>`, `dids.<number>`, `queues.<n>.agents`, …) into its parts. */
export function locateProblem(p: Problem): LocatedProblem {
  const [section = '', objectId, ...rest] = p.path.split('.');
  const ivrId = section === 'ivrs' ? objectId ?? null : null;
  const option = ivrId && rest[0] === 'options' && rest.length === 2 ? rest[1] ?? null : null;
  return { ...p, section, object_id: objectId ?? null, ivr_id: ivrId, option, field: rest.length > 0 ? rest.join('.') : null };
}

/** Compiles the org's draft in one read transaction (a consistent view) and reports what publishing would say. */
export async function validateDraft(deps: { adb: Db; config: Pick<Config, 'SOUNDS_DIR' | 'DATA_DIR'> }, orgId: string): Promise<ValidationReport> {
  const { problems, warnings } = await transaction(deps.adb, (tx) => compile(tx, orgId, { soundsDir: soundsDir(deps.config) }));
  return { ok: problems.length === 0, problems: problems.map(locateProblem), warnings: warnings.map(locateProblem) };
}
