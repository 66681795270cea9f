/**
 * `npm run bench`: every benchmark, each beside a baseline measured in the same run.
 * `npm run bench -- api` runs one suite.
 */
import { benchApi } from './api.bench.ts';
import { benchCalls } from './calls.bench.ts';
import { benchWebhooks } from './webhooks.bench.ts';
import { benchCallLogs } from './call-logs.bench.ts';
import { benchBot } from './bot.bench.ts';
import { benchSwitch } from './switch.bench.ts';
import { benchSwitchBot } from './switch-bot.bench.ts';
import { benchSwitchScale } from './switch-scale.bench.ts';
import { benchDialer } from './dialer.bench.ts';
import { compileForBench } from './compiled.ts';

process.env.METADATA_SERVER_DETECTION = 'none';
process.env.LOG_LEVEL = 'silent';

const compiled = compileForBench();
const suites: Record<string, () => Promise<void>> = {
  api: () => benchApi(compiled),
  calls: () => benchCalls(compiled),
  webhooks: () => benchWebhooks(),
  'call-logs': () => benchCallLogs(),
  bot: () => benchBot(compiled),
  switch: () => benchSwitch(compiled),
  'switch-bot': () => benchSwitchBot(compiled),
  'switch-scale': () => benchSwitchScale(compiled),
  dialer: () => benchDialer(),
};

const only = process.argv.slice(2);
for (const [name, run] of Object.entries(suites)) {
  if (only.length && !only.includes(name)) continue;
  await run();
}
