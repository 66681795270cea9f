/**
 * Voicemail's other ends: an extension's greeting (the extensions API) and the voicemail.new webhook event.
 * (test/api/voicemail.test.ts has the messages API.)
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { DEFAULT_VOICEMAIL_GREETING, greetingPath, greetingRenderer } from '../../src/services/voicemail/greeting.ts';
import { decodeWav } from '../../src/media/wav.ts';
import type { TtsEngine } from '../../src/media/tts-engine.ts';
import { TtsError } from '../../src/media/tts-engine.ts';
import { eq } from 'drizzle-orm';

let api: AsyncTestApi;
beforeEach(async () => {
  api = await openTestApi();
});
afterEach(() => api.close());

type Err = { error: string; code: string; details?: { fields?: { field: string }[] } };

describe('extension voicemail greeting', () => {
  const row = async (id: string) => {
    const { extensions } = api.deps.adb.t;
    return (await api.deps.adb.select().from(extensions).where(eq(extensions.id, id)).limit(1))[0]!;
  };

  it('is rendered to a wav when saved; null goes back to the default greeting, rendered once', async () => {
    const org = await api.org();
    const res = await api.call('POST', '/api/v1/extensions', {
      token: org.token, body: { number: '1001', name: 'Asha', voicemail_greeting: 'You have reached Asha. Leave a message.' },
    });
    expect(res.status).toBe(201);
    const ext = (await res.json()) as { id: string; voicemail_greeting: string | null };
    expect(ext.voicemail_greeting).toBe('You have reached Asha. Leave a message.');
    const renderer = greetingRenderer(api.config, api.deps.tts);
    const custom = (await row(ext.id)).voicemailGreetingFile!;
    expect(custom).toBe(greetingPath(renderer, 'You have reached Asha. Leave a message.'));
    expect(decodeWav(readFileSync(custom)).data.length).toBeGreaterThan(0);

    const reset = await api.call('PUT', `/api/v1/extensions/${ext.id}`, { token: org.token, body: { voicemail_greeting: null } });
    expect(reset.status).toBe(200);
    expect(((await reset.json()) as { voicemail_greeting: string | null }).voicemail_greeting).toBeNull();
    const fallback = (await row(ext.id)).voicemailGreetingFile!;
    expect(fallback).toBe(greetingPath(renderer, DEFAULT_VOICEMAIL_GREETING));
    expect(existsSync(fallback)).toBe(true);

    // A second extension with the default greeting shares the same file.
    const other = await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number: '1002', name: 'Ravi' } });
    expect((await row(((await other.json()) as { id: string }).id)).voicemailGreetingFile).toBe(fallback);
    // Updating other fields keeps the greeting.
    await api.call('PUT', `/api/v1/extensions/${ext.id}`, { token: org.token, body: { name: 'Asha K' } });
    expect((await row(ext.id)).voicemailGreetingFile).toBe(fallback);
  });

  it('a failing TTS engine fails a custom greeting (500) but not the default one', async () => {
    await api.close();
    const broken: TtsEngine = { name: 'broken', voiceFor: () => 'none', synthesize: () => Promise.reject(new TtsError('engine down')) };
    api = await openTestApi({ tts: broken });
    const org = await api.org();
    const bad = await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number: '1001', name: 'A', voicemail_greeting: 'Hello' } });
    expect(bad.status).toBe(500);
    expect((await bad.json()) as Err).toMatchObject({ code: 'upstream_error' });
    expect((await api.call('GET', '/api/v1/extensions', { token: org.token }).then((r) => r.json())) as unknown[]).toEqual([]);

    const ok = await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number: '1001', name: 'A' } });
    expect(ok.status).toBe(201);
    expect((await row(((await ok.json()) as { id: string }).id)).voicemailGreetingFile).toBeNull();
  });

  it('400 for an empty or too long greeting', async () => {
    const org = await api.org();
    for (const voicemail_greeting of ['', ' ', 'x'.repeat(1001)]) {
      const res = await api.call('POST', '/api/v1/extensions', { token: org.token, body: { number: '1001', name: 'A', voicemail_greeting } });
      expect(res.status).toBe(400);
      expect(((await res.json()) as Err).details?.fields?.map((f) => f.field)).toEqual(['voicemail_greeting']);
    }
  });
});

describe('webhooks', () => {
  it('voicemail.new is an event endpoints can subscribe to', async () => {
    const org = await api.org();
    const res = await api.call('POST', '/api/v1/webhooks', { token: org.token, body: { url: 'https://crm.example.com/hooks', events: ['voicemail.new'] } });
    expect(res.status).toBe(201);
    expect(((await res.json()) as { events: string[] }).events).toEqual(['voicemail.new']);
  });
});
