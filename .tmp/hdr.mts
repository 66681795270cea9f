import { readFileSync, readdirSync } from 'node:fs';
import { parseHeaderLines } from '/work/main/src/esl/headers.ts';
const dir = '/work/shared/esl-transcripts/';
const f = readdirSync(dir).find((x) => x.endsWith('.jsonl') && x.includes('call-c'))!;
const lines = readFileSync(dir + f, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
const all = lines.filter((l) => l.dir === 'in').map((l) => l.data).join('');
const bodies = all.split('Content-Type: text/event-plain\n\n').slice(1).map((b: string) => b.slice(0, b.indexOf('\n\n') + 1)).filter((b: string) => b.includes('CHANNEL_EXECUTE_COMPLETE'));
const body = bodies[0]!;
console.log('file', f, 'body chars', body.length, 'lines', body.split('\n').length);
const names = ['Event-Name', 'Unique-ID', 'Application-UUID', 'Application', 'Application-Response', 'variable_sb_digits'];
let sink = 0;
for (let round = 0; round < 3; round++) {
  const t = performance.now();
  for (let i = 0; i < 100000; i++) {
    const p = parseHeaderLines(body) as any;
    for (const n of names) sink += p.headers[n]?.length ?? 0;
  }
  console.log('µs per event', ((performance.now() - t) / 100).toFixed(2));
}
for (let round = 0; round < 2; round++) {
  const t = performance.now();
  for (let i = 0; i < 100000; i++) { const p = parseHeaderLines(body) as any; sink += p.headers ? 1 : 0; }
  console.log('parse only µs per event', ((performance.now() - t) / 100).toFixed(2));
}
// alternative: validation scan + lastIndexOf lookups
function validate(text: string): boolean {
  let start = 0; const end = text.length;
  while (start < end) { let nl = text.indexOf('\n', start); if (nl === -1) nl = end; if (nl > start) { const c = text.indexOf(':', start); if (c <= start || c > nl) return false; if (text.charCodeAt(start) === 32 || text.charCodeAt(c - 1) === 32) return false; } start = nl + 1; }
  return true;
}
function getv(text: string, name: string): string | undefined {
  const key = '\n' + name + ':';
  let at = text.lastIndexOf(key);
  let vs: number;
  if (at === -1) { if (!text.startsWith(name + ':')) return undefined; vs = name.length + 1; } else vs = at + key.length;
  if (text.charCodeAt(vs) === 32) vs++;
  let ve = text.indexOf('\n', vs); if (ve === -1) ve = text.length;
  return text.slice(vs, ve);
}
for (let round = 0; round < 2; round++) {
  const t = performance.now();
  for (let i = 0; i < 100000; i++) { if (!validate(body)) throw 1; for (const n of names) sink += getv(body, n)?.length ?? 0; }
  console.log('validate + lastIndexOf µs per event', ((performance.now() - t) / 100).toFixed(2));
}
for (let round = 0; round < 2; round++) {
  const t = performance.now();
  for (let i = 0; i < 100000; i++) { for (const n of names) sink += getv(body, n)?.length ?? 0; }
  console.log('lastIndexOf only µs per event', ((performance.now() - t) / 100).toFixed(2));
}
console.log(sink > 0);
