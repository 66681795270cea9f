import { describe, expect, it } from 'vitest';
import { createEslSwitchControl } from '../../src/switch/switch-control.ts';
import { EslTimeoutError, parseApiBody } from '../../src/esl/replies.ts';
import { switchChanges } from '../../src/publish/callcenter.ts';
import type { ConfigSnapshot } from '../../src/publish/snapshot.ts';

/**
 * A fake ESL api: records commands, answers from a table of reply functions. Like the inbound client's
 * api(), a `-ERR` body rejects with an EslCommandError (parsed in the one place, esl/replies.ts).
 */
function fakeApi(reply: (cmd: string) => string | Error = () => '+OK') {
  const sent: string[] = [];
  const api = async (cmd: string) => {
    sent.push(cmd);
    const r = reply(cmd);
    if (r instanceof Error) throw r;
    const parsed = parseApiBody(cmd, r);
    if (!parsed.ok) throw parsed.error;
    return parsed;
  };
  return { api, sent };
}

describe('createEslSwitchControl', () => {
  it('reloads existing queues, unloads removed ones, then reloadxml', async () => {
    const { api, sent } = fakeApi();
    const r = await createEslSwitchControl(api).applyPublished({ queueNames: ['5001@a.sip.local'], removedQueueNames: ['5002@a.sip.local'] });
    expect(r).toEqual({ applied: true, errors: [] });
    expect(sent).toEqual([
      'callcenter_config queue reload 5001@a.sip.local',
      'callcenter_config queue unload 5002@a.sip.local',
      'reloadxml',
    ]);
  });

  it('falls back to load when reload answers -ERR (a new queue)', async () => {
    const { api, sent } = fakeApi((cmd) => (cmd.includes('reload 5001') ? '-ERR Invalid Queue not found!\n' : '+OK\n'));
    const r = await createEslSwitchControl(api).applyPublished({ queueNames: ['5001@a.sip.local'], removedQueueNames: [] });
    expect(r.errors).toEqual([]);
    expect(sent.slice(0, 2)).toEqual(['callcenter_config queue reload 5001@a.sip.local', 'callcenter_config queue load 5001@a.sip.local']);
  });

  it('returns refusals (EslCommandError), timeouts and other failures as strings, never throws', async () => {
    const { api } = fakeApi((cmd) =>
      cmd === 'reloadxml' ? new EslTimeoutError(cmd, 5000) : cmd.includes('unload') ? new Error('socket hang up') : '-ERR nope',
    );
    const r = await createEslSwitchControl(api).applyPublished({ queueNames: ['5001@a'], removedQueueNames: ['5002@a'] });
    expect(r.applied).toBe(true);
    // Each names its command once, from the typed error (no reply text is string-checked for -ERR).
    expect(r.errors).toEqual([
      'callcenter_config queue load 5001@a: -ERR nope',
      'callcenter_config queue unload 5002@a: socket hang up',
      'reloadxml: no answer within 5000 ms',
    ]);
  });

  it('a reply the client resolved is success, whatever its text: only a rejection is a failure', async () => {
    const sent: string[] = [];
    const api = async (cmd: string) => {
      sent.push(cmd);
      return { ok: true, text: '', body: '-ERR looks like a refusal, but the client accepted it\n' };
    };
    const r = await createEslSwitchControl(api).applyPublished({ queueNames: ['q1'], removedQueueNames: [] });
    expect(r.errors).toEqual([]);
    expect(sent).toEqual(['callcenter_config queue reload q1', 'reloadxml']);
  });

  it('adds agents and tiers, updates existing tiers, deletes removed tiers; refuses unsafe names', async () => {
    const { api, sent } = fakeApi((cmd) => (cmd.startsWith('callcenter_config tier add q2') ? '-ERR exists' : '+OK'));
    const r = await createEslSwitchControl(api).applyPublished({
      queueNames: ['q1', 'bad name'],
      removedQueueNames: [],
      agents: [{ name: '1001@a', contact: '[leg_timeout=20]user/1001@a' }],
      tiers: [{ queue: 'q1', agent: '1001@a', level: 1, position: 2 }, { queue: 'q2', agent: '1001@a', level: 3, position: 4 }],
      removedTiers: [{ queue: 'q1', agent: '1002@a' }],
    });
    expect(r.errors).toEqual(['refusing unsafe name "bad name"']);
    expect(sent).toEqual([
      'callcenter_config queue reload q1',
      'callcenter_config agent add 1001@a callback',
      'callcenter_config agent set contact 1001@a [leg_timeout=20]user/1001@a',
      'callcenter_config agent set status 1001@a Available',
      'callcenter_config tier add q1 1001@a 1 2',
      'callcenter_config tier add q2 1001@a 3 4',
      'callcenter_config tier set level q2 1001@a 3',
      'callcenter_config tier set position q2 1001@a 4',
      'callcenter_config tier del q1 1002@a',
      'reloadxml',
    ]);
  });
});

describe('switchChanges', () => {
  const snap = (queues: ConfigSnapshot['queues'], disabled: string[] = []): ConfigSnapshot => ({
    schema: 1, orgId: 'o', orgName: 'O', sipDomain: 'o.sip.local', version: 1, publishedAt: '', ivrs: {}, agents: {}, dids: {},
    extensions: Object.fromEntries(['1001', '1002'].map((n) => [n, { number: n, name: n, enabled: !disabled.includes(n), voicemailEnabled: true }])),
    queues,
  });
  const q = (number: string, agents: string[]) => ({
    id: number, number, name: number, fsName: `${number}@o.sip.local`, maxWaitTime: 300,
    agents: agents.map((extension, i) => ({ extension, level: 1, position: i + 1 })),
  });

  it('derives queues, agents, tiers and removals from two snapshots; skips disabled extensions', () => {
    const prev = snap({ '5001': q('5001', ['1001', '1002']), '5002': q('5002', ['1001']) });
    const next = snap({ '5001': q('5001', ['1001', '1002']) }, ['1002']);
    expect(switchChanges(next, prev)).toEqual({
      queueNames: ['5001@o.sip.local'],
      removedQueueNames: ['5002@o.sip.local'],
      agents: [{ name: '1001@o.sip.local', contact: '[leg_timeout=20]user/1001@o.sip.local' }],
      tiers: [{ queue: '5001@o.sip.local', agent: '1001@o.sip.local', level: 1, position: 1 }],
      removedTiers: [{ queue: '5001@o.sip.local', agent: '1002@o.sip.local' }],
    });
  });
});
