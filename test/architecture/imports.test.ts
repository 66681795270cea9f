// The dependency graph of src/ has no cycles, between files or between the top folders (STYLE.md 19; README
// "Layout"). Every import counts, `import type` too: a type that points back still means the lower module
// cannot be read, tested or moved without the higher one, so when two modules need each other one of them owns
// the interface and the other implements it.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const srcDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src');

type Graph = Map<string, Set<string>>;

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

/** Every module a file names: `import`, `import type`, `export … from`, `import x = require()`, `import()`. */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.Latest, false);
  const found: string[] = [];
  const visit = (node: ts.Node): void => {
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier)) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      const expression = node.moduleReference.expression;
      if (ts.isStringLiteral(expression)) found.push(expression.text);
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument) && ts.isStringLiteral(node.argument.literal)) {
      found.push(node.argument.literal.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
      const [argument] = node.arguments;
      if (argument && ts.isStringLiteralLike(argument)) found.push(argument.text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** File graph of src/, keyed by paths relative to src/ with `/` separators. Only our own files are nodes. */
function fileGraph(): Graph {
  const files = sourceFiles(srcDir);
  const known = new Set(files);
  const key = (path: string) => relative(srcDir, path).split(sep).join('/');
  const graph: Graph = new Map();
  for (const file of files) {
    const targets = new Set<string>();
    for (const specifier of specifiers(file)) {
      if (!specifier.startsWith('.')) continue;
      const target = resolve(dirname(file), specifier.replace(/\.js$/, '.ts'));
      if (!known.has(target)) throw new Error(`${key(file)} imports ${specifier}, which is not a file in src/`);
      targets.add(key(target));
    }
    graph.set(key(file), targets);
  }
  return graph;
}

/** `call/session.ts` → `call`; a file directly in src/ (main.ts, cli.ts) is its own node. */
function topFolder(file: string): string {
  return file.split('/')[0] ?? file;
}

/** The top folders' graph, and for each edge the first file import that makes it (to say where to look). */
function folderGraph(files: Graph): { graph: Graph; because: Map<string, string> } {
  const graph: Graph = new Map();
  const because = new Map<string, string>();
  for (const [file, targets] of files) {
    const from = topFolder(file);
    const edges = graph.get(from) ?? new Set<string>();
    graph.set(from, edges);
    for (const target of targets) {
      const to = topFolder(target);
      if (to === from) continue;
      edges.add(to);
      if (!because.has(`${from} ${to}`)) because.set(`${from} ${to}`, `${file} → ${target}`);
    }
  }
  return { graph, because };
}

/** Strongly connected components with more than one node or a self-import (Tarjan). */
function cyclicComponents(graph: Graph): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  const connect = (node: string): void => {
    index.set(node, next);
    low.set(node, next);
    next += 1;
    stack.push(node);
    onStack.add(node);
    for (const target of graph.get(node) ?? []) {
      if (!index.has(target)) {
        connect(target);
        low.set(node, Math.min(low.get(node)!, low.get(target)!));
      } else if (onStack.has(target)) {
        low.set(node, Math.min(low.get(node)!, index.get(target)!));
      }
    }
    if (low.get(node) !== index.get(node)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== node);
    if (component.length > 1 || graph.get(node)?.has(node)) components.push(component.sort());
  };
  for (const node of [...graph.keys()].sort()) if (!index.has(node)) connect(node);
  return components;
}

/** A shortest cycle through `start` inside its component, as its nodes: `[a, b, a]`. */
function shortestCycle(graph: Graph, component: string[], start: string): string[] {
  const members = new Set(component);
  const previous = new Map<string, string>();
  const queue = [start];
  while (queue.length > 0) {
    const node = queue.shift()!;
    for (const target of graph.get(node) ?? []) {
      if (!members.has(target)) continue;
      if (target === start) {
        const path = [node];
        while (path[0] !== start) path.unshift(previous.get(path[0]!)!);
        return [...path, start];
      }
      if (!previous.has(target)) {
        previous.set(target, node);
        queue.push(target);
      }
    }
  }
  return component;
}

/**
 * The cycles to break: in each tangle, a shortest cycle through every member (the same cycle found from two of
 * its members is listed once), written `a → b → a`, with the import behind each step when `because` is given.
 */
function cycles(graph: Graph, because?: Map<string, string>): string[] {
  return cyclicComponents(graph).flatMap((component) => {
    const found = new Map<string, string[]>();
    for (const start of component) {
      const cycle = shortestCycle(graph, component, start);
      const nodes = cycle.slice(1);
      const first = nodes.indexOf([...nodes].sort()[0]!);
      found.set([...nodes.slice(first), ...nodes.slice(0, first)].join(' '), cycle);
    }
    return [...found.values()].map((cycle) => {
      const steps = because ? `   [${cycle.slice(1).map((to, i) => because.get(`${cycle[i]} ${to}`)).join('; ')}]` : '';
      return `${cycle.join(' → ')}${steps}`;
    });
  });
}

describe('the import graph of src/', () => {
  const files = fileGraph();

  it('reads every file and finds the imports', () => {
    expect(files.size).toBeGreaterThan(100);
    expect(files.get('main.ts')?.size).toBeGreaterThan(10);
  });

  it('has no cycle between files', () => {
    expect(cycles(files)).toEqual([]);
  });

  it('has no cycle between the top folders of src/', () => {
    const { graph, because } = folderGraph(files);
    expect(cycles(graph, because)).toEqual([]);
  });
});

/**
 * What README's "Layout" allows each top folder of src/ to import: its `src/<folder>` entry says
 * `imports a, b, c`, `imports nothing of ours`, or `imports any folder listed before it`.
 */
function readmeLayout(): Map<string, Set<string>> {
  const readme = readFileSync(resolve(srcDir, '../README.md'), 'utf8');
  const block = /## Layout[\s\S]*?```\n([\s\S]*?)```/.exec(readme)?.[1];
  if (!block) throw new Error('README has no Layout block');
  const entries: Array<{ folder: string; text: string }> = [];
  for (const line of block.split('\n')) {
    const head = /^src\/([a-z-]+)\s+(.*)$/.exec(line);
    if (head) entries.push({ folder: head[1]!, text: head[2]! });
    else if (/^\S/.test(line)) entries.push({ folder: '', text: '' });
    else if (entries.length > 0) entries[entries.length - 1]!.text += ` ${line.trim()}`;
  }
  const folders = entries.filter((e) => e.folder !== '');
  const allowed = new Map<string, Set<string>>();
  folders.forEach(({ folder, text }, at) => {
    const rule = /\bimports ([^;.]+)/i.exec(text)?.[1]?.trim();
    if (!rule) throw new Error(`README Layout: src/${folder} does not say what it imports`);
    if (rule === 'nothing of ours') allowed.set(folder, new Set());
    else if (rule === 'any folder listed before it') allowed.set(folder, new Set(folders.slice(0, at).map((e) => e.folder)));
    else allowed.set(folder, new Set(rule.split(',').map((word) => word.trim().replace(/^other /, ''))));
  });
  return allowed;
}

describe('README Layout', () => {
  const layout = readmeLayout();
  const { graph, because } = folderGraph(fileGraph());

  it('names every top folder of src/', () => {
    const folders = [...graph.keys()].filter((f) => !f.endsWith('.ts')).sort();
    expect([...layout.keys()].sort()).toEqual(folders);
  });

  it('lists every folder each folder imports', () => {
    const unlisted: string[] = [];
    for (const [from, targets] of graph) {
      const allowed = layout.get(from);
      if (!allowed) continue;
      for (const to of targets) {
        if (to.endsWith('.ts') || allowed.has(to)) continue;
        unlisted.push(`src/${from} imports src/${to} (${because.get(`${from} ${to}`)}); README allows ${[...allowed].join(', ') || 'nothing'}`);
      }
    }
    expect(unlisted).toEqual([]);
  });
});
