/**
 * Live registration state of extensions, as GET /extensions shows it. The switch owns the truth; this
 * module owns the interface (src/switch/sofia-registrations.ts implements it over the inbound ESL link)
 * and the rule that a switch that cannot answer is a state, never an error of the list.
 */
export interface RegistrationInfo {
  /** The registered contact URI (where the switch sends calls). */
  contact: string;
  /** When the registration lapses unless refreshed (ISO); null when the switch did not say. */
  expiresAt: string | null;
  userAgent: string | null;
}

export interface RegistrationSource {
  /** The domain's registrations by user (extension number); rejects when the switch is away or too slow. */
  registrations(sipDomain: string): Promise<Map<string, RegistrationInfo>>;
}

export type RegistrationState =
  | { registered: true; contact: string; expires_at: string | null; user_agent: string | null }
  | { registered: false }
  | { registered: null; reason: 'switch_unavailable' };

const UNAVAILABLE: RegistrationState = { registered: null, reason: 'switch_unavailable' };

/** One question to the switch for the whole domain; the answer says each extension's state. */
export async function registrationStates(source: RegistrationSource | undefined, sipDomain: string): Promise<(number: string) => RegistrationState> {
  if (!source) return () => UNAVAILABLE;
  let found: Map<string, RegistrationInfo>;
  try {
    found = await source.registrations(sipDomain);
  } catch {
    // The source logs why; the list still answers, with every state unknown.
    return () => UNAVAILABLE;
  }
  return (number) => {
    const r = found.get(number);
    return r ? { registered: true, contact: r.contact, expires_at: r.expiresAt, user_agent: r.userAgent } : { registered: false };
  };
}
