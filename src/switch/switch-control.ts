/**
 * What the management API asks of the switch after a publish: reload the directory and
 * callcenter queues. Implemented over the inbound ESL client; a no-op stand-in when
 * no switch is connected (the next FreeSWITCH start reads everything through xml_curl).
 */
import { EslCommandError } from '../esl/replies.ts';
import type { SwitchControl } from '../publish/callcenter.ts';

export const offlineSwitchControl: SwitchControl = {
  async applyPublished() {
    return { applied: false, errors: [] };
  },
};

/** Queue/agent names and contacts go into one api command line: no whitespace or control characters. */
const SAFE_ARG = /^[^\s\x00-\x1f'"]+$/;

/**
 * SwitchControl over an ESL `api` function, such as the inbound client's: it resolves when the
 * command succeeded, and rejects with an `EslCommandError` when FreeSWITCH answered `-ERR` (or another
 * error on timeout or disconnect). Every failure becomes a message in `errors`; nothing throws.
 */
export function createEslSwitchControl(api: (cmd: string) => Promise<unknown>): SwitchControl {
  return {
    async applyPublished(input) {
      const errors: string[] = [];
      const run = async (cmd: string): Promise<{ ok: true } | { ok: false; error: string }> => {
        try {
          await api(cmd);
          return { ok: true };
        } catch (err) {
          return { ok: false, error: describeFailure(cmd, err) };
        }
      };
      const must = async (cmd: string, ...fallbacks: string[]): Promise<void> => {
        let r = await run(cmd);
        for (const fb of fallbacks) {
          if (r.ok) break;
          r = await run(fb);
        }
        if (!r.ok) errors.push(r.error);
      };
      const safe = (...args: string[]) => {
        const badArg = args.find((a) => !SAFE_ARG.test(a));
        if (badArg !== undefined) errors.push(`refusing unsafe name ${JSON.stringify(badArg)}`);
        return badArg === undefined;
      };

      for (const q of input.queueNames) {
        if (safe(q)) await must(`callcenter_config queue reload ${q}`, `callcenter_config queue load ${q}`);
      }
      for (const a of input.agents ?? []) {
        if (!safe(a.name, a.contact)) continue;
        await run(`callcenter_config agent add ${a.name} callback`); // -ERR when it exists: fine
        await must(`callcenter_config agent set contact ${a.name} ${a.contact}`);
        await must(`callcenter_config agent set status ${a.name} Available`);
      }
      for (const t of input.tiers ?? []) {
        if (!safe(t.queue, t.agent)) continue;
        const added = await run(`callcenter_config tier add ${t.queue} ${t.agent} ${t.level} ${t.position}`);
        if (!added.ok) {
          await must(`callcenter_config tier set level ${t.queue} ${t.agent} ${t.level}`);
          await must(`callcenter_config tier set position ${t.queue} ${t.agent} ${t.position}`);
        }
      }
      for (const t of input.removedTiers ?? []) {
        if (safe(t.queue, t.agent)) await must(`callcenter_config tier del ${t.queue} ${t.agent}`);
      }
      for (const q of input.removedQueueNames) {
        if (safe(q)) await must(`callcenter_config queue unload ${q}`);
      }
      await must('reloadxml');
      return { applied: true, errors };
    },
  };
}

/** `<command>: -ERR <reason>` for a refusal, `<command>: <message>` for anything else. */
function describeFailure(cmd: string, err: unknown): string {
  if (err instanceof EslCommandError) return `${cmd}: -ERR ${err.reason}`;
  const message = err instanceof Error ? err.message : String(err);
  // The ESL errors (timeout, closed, …) name their command already.
  return message.startsWith(`${cmd}: `) ? message : `${cmd}: ${message}`;
}
