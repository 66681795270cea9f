/**
 * Whether an agent may use its login and extension now, in one place: login, the API's token check, the
 * directory FreeSWITCH fetches and the expiry sweep all ask it. Expiry is compared with now here, so an
 * agent is refused from the instant it expires, before the sweep writes `enabled = false`.
 */
export type AgentRefusal = 'disabled' | 'expired';

export interface AgentAccessRow {
  enabled: boolean;
  expiresAt: string | null;
}

export function agentRefusal(agent: AgentAccessRow, now: Date): AgentRefusal | null {
  if (!agent.enabled) return 'disabled';
  if (agent.expiresAt !== null && Date.parse(agent.expiresAt) <= now.getTime()) return 'expired';
  return null;
}

export function refusalMessage(refusal: AgentRefusal, expiresAt: string | null): string {
  return refusal === 'expired' ? `This agent's access expired at ${expiresAt ?? 'an earlier time'}` : 'This agent is disabled';
}
