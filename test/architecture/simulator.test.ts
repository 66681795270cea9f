/**
 * The call simulator walks calls with the call layer's own code, not a copy of it: src/simulate imports the walker,
 * the DID routing and the runner's session and outcome rules from src/call, and defines none of them itself; and at
 * run time a simulated call goes through src/call/walker.ts's runIvr.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterEach, describe, expect, it, vi } from 'vitest';
import * as walker from '../../src/call/walker.ts';
import { openTestApi, type AsyncTestApi } from '../helpers/api.ts';
import { simulateCall } from '../../src/simulate/simulate.ts';

vi.mock('../../src/call/walker.ts', async (importOriginal) => {
  const original = await importOriginal<typeof walker>();
  return { ...original, runIvr: vi.fn(original.runIvr) };
});

const simulateDir = resolve(dirname(fileURLToPath(import.meta.url)), '../../src/simulate');

/** Named imports of each file of src/simulate: `../call/walker.ts` → ['runIvr', …]. */
function namedImports(): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const name of readdirSync(simulateDir).filter((f) => f.endsWith('.ts'))) {
    const source = ts.createSourceFile(name, readFileSync(join(simulateDir, name), 'utf8'), ts.ScriptTarget.Latest, false);
    for (const node of source.statements) {
      if (!ts.isImportDeclaration(node) || !ts.isStringLiteral(node.moduleSpecifier)) continue;
      const bindings = node.importClause?.namedBindings;
      const names = out.get(node.moduleSpecifier.text) ?? new Set<string>();
      if (bindings && ts.isNamedImports(bindings)) for (const e of bindings.elements) names.add((e.propertyName ?? e.name).text);
      out.set(node.moduleSpecifier.text, names);
    }
  }
  return out;
}

/** Functions declared anywhere in src/simulate. */
function declaredFunctions(): string[] {
  return readdirSync(simulateDir).filter((f) => f.endsWith('.ts')).flatMap((name) => {
    const found: string[] = [];
    const visit = (node: ts.Node): void => {
      if (ts.isFunctionDeclaration(node) && node.name) found.push(node.name.text);
      if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.initializer && (ts.isArrowFunction(node.initializer) || ts.isFunctionExpression(node.initializer))) {
        found.push(node.name.text);
      }
      ts.forEachChild(node, visit);
    };
    visit(ts.createSourceFile(name, readFileSync(join(simulateDir, name), 'utf8'), ts.ScriptTarget.Latest, false));
    return found;
  });
}

describe('the simulator shares the walker', () => {
  it('imports runIvr, routeDid and the runner\'s session and outcome rules from src/call', () => {
    const imports = namedImports();
    expect([...(imports.get('../call/walker.ts') ?? [])]).toContain('runIvr');
    expect([...(imports.get('../call/route.ts') ?? [])]).toContain('routeDid');
    expect([...(imports.get('../call/runner.ts') ?? [])].sort()).toEqual(['newSession', 'runRoute', 'settleOutcome']);
  });

  it('declares no walker, menu, router or action handler of its own', () => {
    const own = declaredFunctions();
    const walkerNames = ['runIvr', 'runMenu', 'routeDid', 'exhausted', 'directDialAllowed', 'finalDestination', 'runCall'];
    expect(own.filter((f) => walkerNames.includes(f) || /Action$/.test(f))).toEqual([]);
  });

  describe('at run time', () => {
    let api: AsyncTestApi | undefined;
    afterEach(() => api?.close());

    it('a simulated call runs src/call/walker.ts\'s runIvr', async () => {
      api = await openTestApi();
      const org = await api.org('Acme');
      const post = async (path: string, body: unknown) => {
        const res = await api!.call(path.endsWith('/menu') ? 'PUT' : 'POST', path, { token: org.token, body });
        expect(res.status, await res.clone().text()).toBeLessThan(300);
        return (await res.json()) as { id: string };
      };
      const ivr = await post('/api/v1/ivrs', { name: 'Main', extension: '7001' });
      await post(`/api/v1/ivrs/${ivr.id}/menu`, { options: [{ digit: '0', action_type: 'hangup', action_destination: null }] });
      await post(`/api/v1/ivrs/${ivr.id}/publish`, undefined);
      const runIvr = vi.mocked(walker.runIvr);
      runIvr.mockClear();
      const sim = await simulateCall({ adb: api.deps.adb, config: api.config, logger: api.deps.logger, now: () => new Date() }, org.orgId, { ivrId: ivr.id, keys: ['0'] });
      expect(runIvr).toHaveBeenCalledTimes(1);
      expect(runIvr.mock.calls[0]![1]).toBe(ivr.id);
      expect(sim.end).toMatchObject({ kind: 'hangup', outcome: 'ended_by_ivr' });
    });
  });
});
