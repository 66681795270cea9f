/**
 * The worker protocol of the WebAssembly engine against stand-in modules (same shape as the
 * Emscripten build's): loading once per engine instance, the timeout ending a synthesis that never
 * returns (synchronous, so only terminating the worker stops it), and a worker that dies.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeWav } from '../../src/media/wav.ts';
import { createEspeakWasmEngine } from '../../src/media/espeak-wasm-engine.ts';

const tmp = mkdtempSync(join(tmpdir(), 'tts-wasm-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));
const req = (text: string) => ({ text, language: 'en-IN', voice: '', sampleRate: 8000 });

/**
 * A fake module: every load appends a line to `loads`; synthesize() answers by text:
 * "hang" never returns, "exit" ends the thread, "crash" throws later (uncaught), else 100 samples a character.
 */
function fakeModule(name: string): { url: string; loads: () => number } {
  const loads = join(tmp, `${name}.loads`);
  writeFileSync(loads, '');
  const path = join(tmp, `${name}.mjs`);
  writeFileSync(path, `
import { appendFileSync } from 'node:fs';
class Speaker {
  set_voice(name, language) { return language === 'xx' ? 2 : 0; }
  set_rate() {}
  get_samplerate() { return 8000; }
  synthesize(text, callback) {
    if (text === 'hang') for (;;) {}
    if (text === 'exit') process.exit(3);
    if (text === 'crash') setTimeout(() => { throw new Error('boom'); });
    callback(new Int16Array(text.length * 100).fill(1000), []);
  }
}
export default async function init() {
  appendFileSync(${JSON.stringify(loads)}, 'load\\n');
  return { eSpeakNGWorker: Speaker };
}
`);
  return { url: pathToFileURL(path).href, loads: () => readFileSync(loads, 'utf8').split('\n').filter(Boolean).length };
}

describe('espeak-ng-wasm worker', () => {
  it('loads nothing until the first synthesis, then once per engine instance', async () => {
    const fake = fakeModule('lazy');
    const a = createEspeakWasmEngine({ moduleUrl: fake.url });
    const b = createEspeakWasmEngine({ moduleUrl: fake.url });
    await new Promise((r) => setTimeout(r, 50));
    expect(fake.loads()).toBe(0);
    const out = await a.synthesize(req('hello'));
    expect(decodeWav(out.wav).data.length).toBe(500 * 2);
    await a.synthesize(req('again'));
    await a.synthesize(req('and again'));
    expect(fake.loads()).toBe(1);
    await b.synthesize(req('other instance'));
    expect(fake.loads()).toBe(2); // no module-level state: each engine has its own
    await a.close();
    await a.synthesize(req('after close'));
    expect(fake.loads()).toBe(3);
    await Promise.all([a.close(), b.close()]);
  });

  it('a synthesis that never returns times out; the worker is ended and the next one starts afresh', async () => {
    const fake = fakeModule('hang');
    const engine = createEspeakWasmEngine({ moduleUrl: fake.url, timeoutMs: 1_500 });
    await engine.synthesize(req('warm'));
    const started = Date.now();
    await expect(engine.synthesize(req('hang'))).rejects.toThrow(/espeak-ng-wasm timed out after 1500 ms/);
    expect(Date.now() - started).toBeLessThan(10_000);
    const after = await engine.synthesize(req('fine'));
    expect(after.engine).toBe('espeak-ng-wasm');
    expect(fake.loads()).toBe(2);
    await engine.close();
  });

  it('a worker that exits or throws fails its synthesis with a TtsError, and the engine recovers', async () => {
    const fake = fakeModule('dies');
    const engine = createEspeakWasmEngine({ moduleUrl: fake.url });
    await expect(engine.synthesize(req('exit'))).rejects.toThrow(/worker exited \(code 3\)/);
    expect((await engine.synthesize(req('ok'))).engine).toBe('espeak-ng-wasm');
    const crashed = engine.synthesize(req('crash'));
    // The reply came before the uncaught error: this one succeeds, the next one finds a new worker.
    await crashed;
    await new Promise((r) => setTimeout(r, 200));
    expect((await engine.synthesize(req('ok again'))).engine).toBe('espeak-ng-wasm');
    await engine.close();
  });

  it('a module that cannot load is a TtsError naming the cause; each synthesis tries again', async () => {
    const engine = createEspeakWasmEngine({ moduleUrl: pathToFileURL(join(tmp, 'missing.mjs')).href });
    await expect(engine.synthesize(req('hello'))).rejects.toThrow(/espeak-ng-wasm could not load eSpeak NG: .*missing\.mjs/);
    await expect(engine.synthesize(req('hello'))).rejects.toThrow(/could not load/);
  });

  it('an unknown voice is reported by the worker', async () => {
    const fake = fakeModule('voice');
    const engine = createEspeakWasmEngine({ moduleUrl: fake.url });
    await expect(engine.synthesize({ ...req('hi'), language: 'xx-YY' })).rejects.toThrow(/no eSpeak NG voice for "xx"/);
    await engine.close();
  });

  it('a text longer than maxSeconds is refused', async () => {
    const fake = fakeModule('long');
    const engine = createEspeakWasmEngine({ moduleUrl: fake.url, maxSeconds: 0.01 });
    await expect(engine.synthesize(req('x'.repeat(100)))).rejects.toThrow(/too long/);
    await engine.close();
  });
});
