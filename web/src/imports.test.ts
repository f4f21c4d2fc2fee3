// The client's module graph: no import cycles, and app.ts the only importer of the screens
// (so a screen never depends on another screen, nor on the app that shows it).
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';

const webSrc = dirname(fileURLToPath(import.meta.url));
const repo = resolve(webSrc, '../..');
const SCREENS = [
  'ui/connect.ts',
  'ui/lobby.ts',
  'ui/waiting.ts',
  'ui/game-screen.ts',
  'ui/results.ts',
];

/** Every source file of web/src (tests aside), by path relative to the repository. */
function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return sources(path);
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [path] : [];
  });
}

/** The local modules a file imports or re-exports (type-only imports count: they bind too). */
function importsOf(file: string): string[] {
  const { importedFiles } = ts.preProcessFile(readFileSync(file, 'utf8'), true, true);
  return importedFiles
    .map((f) => f.fileName)
    .filter((name) => name.startsWith('.'))
    .map((name) => resolve(dirname(file), name.replace(/\.js$/, '.ts')));
}

/** The local import graph reachable from web/src, shared/src included. */
function graph(): Map<string, string[]> {
  const edges = new Map<string, string[]>();
  const todo = sources(webSrc);
  for (let file = todo.pop(); file; file = todo.pop()) {
    if (edges.has(file)) continue;
    const next = importsOf(file);
    edges.set(file, next);
    todo.push(...next);
  }
  return edges;
}

/** One cycle as a list of files (first = last), or undefined when the graph has none. */
function findCycle(edges: Map<string, string[]>): string[] | undefined {
  const done = new Set<string>();
  const path: string[] = [];
  const visit = (file: string): string[] | undefined => {
    const at = path.indexOf(file);
    if (at >= 0) return [...path.slice(at), file];
    if (done.has(file)) return undefined;
    path.push(file);
    for (const next of edges.get(file) ?? []) {
      const cycle = visit(next);
      if (cycle) return cycle;
    }
    path.pop();
    done.add(file);
    return undefined;
  };
  for (const file of edges.keys()) {
    const cycle = visit(file);
    if (cycle) return cycle;
  }
  return undefined;
}

const named = (files: string[]) => files.map((f) => relative(repo, f));

describe('the web client module graph', () => {
  const edges = graph();

  it('reads every module of the client', () => {
    expect(named([...edges.keys()])).toEqual(
      expect.arrayContaining(['web/src/app.ts', 'web/src/nav.ts', 'web/src/ui/lobby.ts']),
    );
  });

  it('has no import cycle', () => {
    expect(named(findCycle(edges) ?? [])).toEqual([]);
  });

  it('finds a cycle when there is one (the check itself can fail)', () => {
    const loop = new Map([
      ['a', ['b']],
      ['b', ['c']],
      ['c', ['a']],
    ]);
    expect(findCycle(loop)).toEqual(['a', 'b', 'c', 'a']);
  });

  it('lets app.ts alone import the screens', () => {
    const screens = new Set(SCREENS.map((s) => join(webSrc, s)));
    const importers = [...edges]
      .filter(([, to]) => to.some((f) => screens.has(f)))
      .map(([from]) => from);
    expect(named(importers)).toEqual(['web/src/app.ts']);
  });
});
