/**
 * Where a SIP user is registered, when there are several switches: a phone registers on one of them, and
 * `user/<ext>@<domain>` reaches it only from that switch (unless a shared registrar or proxy fronts them).
 * `sofia_contact <profile>/<user>@<domain>` answers the contact (`sofia/<profile>/sip:…`) when the user is
 * registered on that switch's profile, `error/user_not_registered` when not (mod_sofia).
 */
import type { SwitchLink } from './switches.ts';

/** The first connected switch (in SWITCHES order) the user is registered on; null when none says so. */
export async function registeredOn(
  links: readonly SwitchLink[], profile: string, user: string, domain: string, timeoutMs?: number,
): Promise<SwitchLink | null> {
  const up = links.filter((l) => l.connected);
  const answers = await Promise.all(up.map(async (link) => {
    try {
      return (await link.client.api(`sofia_contact ${profile}/${user}@${domain}`, { timeoutMs })).text.trim().startsWith('sofia/');
    } catch {
      // Not answering (or -ERR) is not a registration.
      return false;
    }
  }));
  return up.find((_l, i) => answers[i]) ?? null;
}
