/**
 * The AI agent a call talks to, in one place: the API takes it (src/http/routes/agents), publish checks
 * and snapshots it (SnapshotAgent adds the fallback), the bridge speaks to it (src/bot).
 */

/** The bot WebSocket's message dialect: ours, or Twilio Media Streams (docs/bot-protocol.md). */
export const AGENT_DIALECTS = ['native', 'twilio'] as const;
export type AgentDialect = (typeof AGENT_DIALECTS)[number];

/** The audio a bot sends and receives: L16 at 8, 16 or 24 kHz, or G.711 µ-law at 8 kHz. */
export const AUDIO_FORMATS = ['l16_8k', 'l16_16k', 'l16_24k', 'pcmu_8k'] as const;
export type AudioFormat = (typeof AUDIO_FORMATS)[number];

/** The agent a call talks to: a published agent, or defaults around a bare ws(s) URL (then `id` is null). */
export interface BotTarget {
  id: string | null;
  name: string;
  wsUrl: string;
  headers: Record<string, string>;
  dialect: AgentDialect;
  audioFormat: AudioFormat;
  systemPrompt: string | null;
  language: string;
  openingText: string | null;
  connectTimeoutMs: number;
}
