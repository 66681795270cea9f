import type { CallContact } from '../domain/contacts.ts';
import type { CallSession } from './session.ts';

const DEFAULT_TIMEOUT_MS = 500;

/**
 * The caller's saved contact, asked once before routing. A contact is a nicety, the call is not: a lookup that
 * throws, rejects or is slower than the bound leaves the call without one (a warning in the log), never stuck.
 * Masked calls are not looked up: their call log and webhooks must not tell who the real caller is.
 */
export async function findCallContact(s: CallSession): Promise<CallContact | null> {
  const lookup = s.deps.contactLookup;
  if (!lookup || !s.orgId || s.masking) return null;
  const timeoutMs = s.deps.settings.contactLookupTimeoutMs ?? DEFAULT_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  try {
    const answer = lookup(s.orgId, s.caller);
    // A lookup that answers at once needs no timer.
    if (!(answer instanceof Promise)) return answer;
    const late = new Promise<'late'>((resolve) => {
      timer = setTimeout(() => resolve('late'), timeoutMs);
    });
    // A rejection after the race is settled is still handled by it (no unhandled rejection).
    const first = await Promise.race([answer, late]);
    if (first !== 'late') return first;
    s.logger.warn({ timeoutMs }, 'contact lookup timed out; the call goes on without a contact');
    return null;
  } catch (err) {
    s.logger.warn({ err }, 'contact lookup failed; the call goes on without a contact');
    return null;
  } finally {
    clearTimeout(timer);
  }
}
