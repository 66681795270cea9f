/**
 * Echo bot: plays the caller back to the caller (either dialect, any audio format).
 *   npx tsx examples/echo-bot.ts --port 9001
 * Then route a DID (or a menu option) to ai_agent with the destination ws://127.0.0.1:9001.
 */
import { args, isMain, startBotServer, type BotServer } from './bot-kit.ts';

export function startEchoBot(o: { port: number; host?: string }): Promise<BotServer> {
  return startBotServer(o, (call, e) => {
    if (e.kind === 'audio') call.audio(e.payload);
  });
}

if (isMain(import.meta.url)) {
  const a = args();
  const bot = await startEchoBot({ port: Number(a.port ?? 9001), host: a.host });
  process.stdout.write(`echo bot listening on ws://${a.host ?? '127.0.0.1'}:${bot.port}\n`);
}
