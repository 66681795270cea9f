/** `npm run simulate` in-process: the organization found from the DID or IVR, one line per event, errors as errors. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { simulateCommand } from '../../src/simulate/command.ts';
import type { SimulatorDeps } from '../../src/simulate/simulate.ts';
import { MAIN_DID, buildFlows, type Flows } from './flows.ts';

let api: AsyncTestApi;
let deps: SimulatorDeps;
let flows: Flows;

beforeEach(async () => {
  api = await openTestApi();
  const org = await api.org('Acme');
  flows = await buildFlows(async (method, path, body) => {
    const res = await api.call(method, path, { token: org.token, body });
    const text = await res.text();
    if (res.status >= 300) throw new Error(`${method} ${path} → ${res.status}: ${text}`);
    return (text ? JSON.parse(text) : {}) as never;
  });
  deps = { adb: api.deps.adb, config: api.config, logger: api.deps.logger, now: () => new Date() };
});
afterEach(() => api.close());

describe('simulateCommand', () => {
  it('prints the walk one event a line, the end last', async () => {
    const lines = await simulateCommand(deps, { did: '08065978001', keys: '9, 1' });
    expect(lines[0]).toMatch(/^\+918065978001 \(published version \d+\)$/);
    expect(lines.slice(1).map((l) => l.trim().split(/\s+/)[0])).toEqual(['menu', 'prompt', 'input', 'invalid', 'prompt', 'prompt', 'input', 'action', 'end']);
    expect(lines).toContain('  input     9 rejected');
    expect(lines).toContain('  input     1 → extension 1001');
    expect(lines.at(-1)).toBe('  end       extension 1001: connected (left at talk)');
  });

  it('--ivr with --draft; --json gives the API\'s body', async () => {
    const [json] = await simulateCommand(deps, { ivr: flows.support, draft: true, keys: 'timeout,0', json: true });
    expect(JSON.parse(json!)).toMatchObject({ source: 'draft', did: null, ivrId: flows.support, version: null, end: { kind: 'hangup', outcome: 'ended_by_ivr' } });
  });

  it('a number nobody has and a malformed key are errors', async () => {
    await expect(simulateCommand(deps, { did: '+918065979999' })).rejects.toThrow(/No organization has DID \+918065979999/);
    await expect(simulateCommand(deps, { did: MAIN_DID, keys: '1,abc' })).rejects.toThrow(/keys\.1/);
  });
});
