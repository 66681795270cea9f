import type { CallcenterConfig } from '../../../publish/callcenter.ts';
import { document, param, tag } from './xml.ts';

/** Agent behaviour (seconds / counts) for every published queue agent. */
const AGENT_DEFAULTS = { 'max-no-answer': 3, 'wrap-up-time': 10, 'reject-delay-time': 10, 'busy-delay-time': 60 } as const;

/** callcenter.conf for mod_callcenter, from every organization's latest published snapshot. */
export function callcenterXml(cc: CallcenterConfig): string {
  const queues = cc.queues.map((q) =>
    tag('queue', { name: q.name },
      param('strategy', q.strategy) +
      param('moh-sound', q.mohSound) +
      param('time-base-score', 'system') +
      param('max-wait-time', q.maxWaitTime) +
      param('max-wait-time-with-no-agent', 0) +
      param('max-wait-time-with-no-agent-time-reached', 5) +
      param('tier-rules-apply', q.tierRulesApply) +
      param('tier-rule-wait-second', 300) +
      param('tier-rule-wait-multiply-level', true) +
      param('tier-rule-no-agent-no-wait', false) +
      param('discard-abandoned-after', q.discardAbandonedAfter) +
      param('abandoned-resume-allowed', false)),
  ).join('');
  const agents = cc.agents
    .map((a) => tag('agent', { name: a.name, type: 'callback', contact: a.contact, status: 'Available', ...AGENT_DEFAULTS }))
    .join('');
  const tiers = cc.tiers.map((t) => tag('tier', { agent: t.agent, queue: t.queue, level: t.level, position: t.position })).join('');
  return document(
    tag('section', { name: 'configuration' },
      tag('configuration', { name: 'callcenter.conf', description: 'Switchboard queues' },
        '<settings/>' + tag('queues', {}, queues) + tag('agents', {}, agents) + tag('tiers', {}, tiers))),
  );
}
