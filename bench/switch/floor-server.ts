/**
 * The switch bench's `floor` target: the least any outbound-socket controller can ask of FreeSWITCH for the
 * bench's IVR call. FreeSWITCH reaches it through the same dialplan apps as the product's `inbound_did`
 * (`sched_hangup`, `socket <addr> full`). On each connection it does the least a controller must: it
 * writes `connect` and `linger` (the channel data carry the dialled number, which decides whether the call
 * is answered at all), and on the connect reply, in one write, the call's four commands as the controller
 * sends them (`api uuid_answer`, the greeting with its wait for a key, the timeout prompt, hangup). It
 * closes the socket on the linger notice. No database, no logic, two writes: what is left is what the
 * `socket` app itself costs the switch (docs/esl.md, fact 23), so the controller is judged against this and native.
 * Standalone on purpose (plain `net`, nothing from src/): it measures the switch, not our code.
 * argv: <port> <greeting file> <timeout prompt file> <first-digit timeout ms> <inter-digit timeout ms>
 */
import { createServer } from 'node:net';

const [port, greeting, timeoutPrompt, timeoutMs, digitTimeoutMs] = process.argv.slice(2);
if (!port || !greeting || !timeoutPrompt || !timeoutMs || !digitTimeoutMs) {
  process.stderr.write('usage: floor-server <port> <greeting> <timeout prompt> <timeout ms> <digit timeout ms>\n');
  process.exit(2);
}

const app = (name: string, arg?: string): string =>
  arg === undefined
    ? `sendmsg\ncall-command: execute\nexecute-app-name: ${name}\n\n`
    : `sendmsg\ncall-command: execute\nexecute-app-name: ${name}\ncontent-type: text/plain\ncontent-length: ${Buffer.byteLength(arg)}\n\n${arg}`;

const COMMANDS =
  app('play_and_get_digits', `1 1 1 ${timeoutMs} none ${greeting} silence_stream://10 sb_digits [0-9*#]+ ${digitTimeoutMs}`) +
  app('playback', timeoutPrompt) +
  'sendmsg\ncall-command: hangup\n\n';

const UUID_RE = /\nUnique-ID: ([0-9a-f-]{36})\n/;

const server = createServer((socket) => {
  socket.setNoDelay(true);
  socket.on('error', () => socket.destroy());
  // Only two things are read: the uuid in the connect reply, and the linger notice at the end. A notice
  // split across two reads still ends the call at the latest when FreeSWITCH's linger (30 s) closes it.
  let seen = '';
  let answered = false;
  socket.on('data', (chunk: Buffer) => {
    seen += chunk.toString('latin1');
    if (!answered) {
      const uuid = UUID_RE.exec(seen)?.[1];
      if (!uuid) return;
      answered = true;
      seen = '';
      socket.write(`api uuid_answer ${uuid}\n\n${COMMANDS}`);
      return;
    }
    if (seen.includes('text/disconnect-notice')) socket.destroy();
    else seen = seen.slice(-32);
  });
  // A hung FreeSWITCH never keeps a socket here for longer than the bench's calls last.
  socket.setTimeout(60_000, () => socket.destroy());
  socket.write('connect\n\nlinger 30\n\n');
});
server.listen(Number(port), '127.0.0.1');
process.on('SIGTERM', () => {
  server.close();
  process.exit(0);
});
