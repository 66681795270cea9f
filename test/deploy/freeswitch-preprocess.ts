/**
 * Does what FreeSWITCH's XML pre-processor (switch_xml.c, preprocess) does at start-up, line
 * by line: expands double-dollar references (unknown names become empty), drops every line
 * that holds "<include>", "</include>" or "<?", and replaces a line holding an X-PRE-PROCESS
 * directive by its result: "set" defines a global variable, "include" inserts the files it
 * names (relative to the including file, "*" allowed in the last part).
 * The result is the one document FreeSWITCH would parse (log/freeswitch.xml.fsxml).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

/** Variables FreeSWITCH defines itself before reading the configuration. */
export const BUILTIN_VARIABLES: Record<string, string> = {
  base_dir: '/usr',
  conf_dir: '/etc/freeswitch',
  log_dir: '/var/log/freeswitch',
  db_dir: '/var/lib/freeswitch/db',
  sounds_dir: '/usr/share/freeswitch/sounds',
  recordings_dir: '/var/lib/freeswitch/recordings',
  storage_dir: '/var/lib/freeswitch/storage',
  temp_dir: '/tmp',
  run_dir: '/run/freeswitch',
  mod_dir: '/usr/lib/freeswitch/mod',
  script_dir: '/usr/share/freeswitch/scripts',
  hostname: 'localhost',
  switch_serial: '0',
};

export interface Preprocessed {
  text: string;
  variables: Record<string, string>;
  /** Every file that was read, in order. */
  files: string[];
  /** References to variables nobody set (FreeSWITCH silently expands them to nothing). */
  undefinedVariables: string[];
  /** Include targets that matched no file (FreeSWITCH prints "Error including"). */
  missingIncludes: string[];
}

export function preprocess(rootFile: string): Preprocessed {
  const state: Preprocessed = {
    text: '',
    variables: { ...BUILTIN_VARIABLES },
    files: [],
    undefinedVariables: [],
    missingIncludes: [],
  };
  state.text = processFile(resolve(rootFile), state, 0);
  return state;
}

function expand(line: string, state: Preprocessed): string {
  return line.replace(/\$\$\{([^}]*)\}/g, (_, name: string) => {
    const value = state.variables[name];
    if (value === undefined) {
      state.undefinedVariables.push(name);
      return '';
    }
    return value;
  });
}

function processFile(file: string, state: Preprocessed, depth: number): string {
  if (depth > 20) throw new Error(`include recursion too deep at ${file}`);
  state.files.push(file);
  const out: string[] = [];
  for (const rawLine of readFileSync(file, 'utf8').split('\n')) {
    const line = expand(rawLine, state);
    // Like FreeSWITCH: a line holding <include>, </include> or "<?" is dropped whole (that is
    // how an included file loses its wrapper and its XML declaration) ...
    if (line.includes('<include>') || line.includes('</include>') || line.includes('<?')) continue;
    // ... and a line holding a directive is replaced by what the directive produces.
    const m = /<X-PRE-PROCESS\s+cmd="([^"]*)"\s+data="([^"]*)"\s*\/>/i.exec(line);
    if (!m) {
      if (/x-pre-process/i.test(line)) throw new Error(`${file}: malformed pre-processor line: ${line.trim()}`);
      out.push(line);
      continue;
    }
    const cmd = m[1]!.toLowerCase();
    const data = m[2]!;
    if (cmd === 'set') {
      const eq = data.indexOf('=');
      if (eq <= 0) throw new Error(`${file}: bad set "${data}"`);
      state.variables[data.slice(0, eq).trim()] = data.slice(eq + 1).trim();
    } else if (cmd === 'include') {
      const targets = resolveInclude(dirname(file), data);
      if (targets.length === 0) state.missingIncludes.push(`${file}: ${data}`);
      for (const target of targets) out.push(processFile(target, state, depth + 1));
    } else {
      throw new Error(`${file}: unsupported pre-processor command ${cmd}`);
    }
  }
  return out.join('\n');
}

/** Files matched by an include path: relative to the including file's directory, "*" only in the last part. */
export function resolveInclude(fromDir: string, pattern: string): string[] {
  const full = resolve(fromDir, pattern);
  const name = basename(full);
  if (!name.includes('*')) return existsSync(full) ? [full] : [];
  const dir = dirname(full);
  if (!existsSync(dir)) return [];
  const re = new RegExp(`^${name.replace(/[.+?^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '[^/]*')}$`);
  return readdirSync(dir)
    .filter((f) => re.test(f) && !f.startsWith('.'))
    .sort()
    .map((f) => join(dir, f));
}
