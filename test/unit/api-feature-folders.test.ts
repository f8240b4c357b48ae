import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

// services/api/ is organised by feature (docs/architecture.md, "API feature folders"). Features may
// share plumbing (http/, auth/), but no two folders may import each other, directly or round a longer
// loop: a cycle means a feature's code lives in the wrong folder (as tenant staff management once
// lived in auth/, which made auth/ and users/ import each other).
const api = path.resolve(__dirname, '../../services/api');

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) return sourceFiles(full);
    return name.endsWith('.ts') ? [full] : [];
  });
}

const IMPORT = /^\s*(?:import|export)\s[^'"]*?from\s+['"](\.[^'"]+)['"]/gm;

/** Folder → the other api folders its files import (type imports included: they couple too). */
function folderGraph(): Map<string, Set<string>> {
  const graph = new Map<string, Set<string>>();
  for (const file of sourceFiles(api)) {
    const from = path.relative(api, file).split(path.sep);
    if (from.length < 2) continue; // app.ts, deps.ts, main.ts: the wiring above every feature
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const to = path.relative(api, path.resolve(path.dirname(file), m[1])).split(path.sep);
      if (to[0] === '..' || to.length < 2 || to[0] === from[0]) continue;
      if (!graph.has(from[0])) graph.set(from[0], new Set());
      graph.get(from[0])!.add(to[0]);
    }
  }
  return graph;
}

/** Every cycle found by a depth-first walk, each as `a → b → … → a`. */
function cycles(graph: Map<string, Set<string>>): string[] {
  const found: string[] = [];
  const done = new Set<string>();
  const walk = (node: string, trail: string[]) => {
    const at = trail.indexOf(node);
    if (at >= 0) return void found.push([...trail.slice(at), node].join(' → '));
    if (done.has(node)) return;
    for (const next of graph.get(node) ?? []) walk(next, [...trail, node]);
    done.add(node);
  };
  for (const node of [...graph.keys()].sort()) walk(node, []);
  return found;
}

describe('services/api feature folders', () => {
  it('import each other without a cycle', () => {
    expect(cycles(folderGraph())).toEqual([]);
  });

  it('auth/ imports no feature folder (only http/ and the wiring types)', () => {
    expect([...(folderGraph().get('auth') ?? [])].filter((f) => f !== 'http').sort()).toEqual([]);
  });

  it('the cycle check sees a cycle (it can fail)', () => {
    const graph = new Map([
      ['auth', new Set(['users'])],
      ['users', new Set(['auth', 'http'])],
      ['onboarding', new Set(['users'])],
    ]);
    expect(cycles(graph)).toEqual(['auth → users → auth']);
  });
});
