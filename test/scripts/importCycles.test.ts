// No import circles in src/ or emulator/: a circle means two files that cannot be understood, or
// loaded, one without the other, and it is how a layer starts to reach back up. Type-only imports
// count too: they tie the files' meanings together as much as a value import does.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import ts from 'typescript';

const ROOT = path.resolve(__dirname, '../..');

/** Every .ts file under `dir`, as absolute paths. */
function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** The project file a relative import names, if it is one of `files`. */
function resolveImport(from: string, specifier: string, files: ReadonlySet<string>): string | undefined {
  if (!specifier.startsWith('.')) return undefined;
  const base = path.resolve(path.dirname(from), specifier);
  return [`${base}.ts`, path.join(base, 'index.ts'), base].find((candidate) => files.has(candidate));
}

/** The import graph of the files under `roots`. */
export function importGraph(roots: readonly string[]): Map<string, string[]> {
  const files = new Set(roots.flatMap((root) => sourceFiles(root)));
  const graph = new Map<string, string[]>();
  for (const file of files) {
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, 'utf8'), true, true);
    const targets = importedFiles.map((imported) => resolveImport(file, imported.fileName, files)).filter((target): target is string => target !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** One circle per strongly connected component of more than one file (or a file importing itself). */
export function importCircles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  // Tarjan's algorithm, iterative so a deep chain of imports cannot overflow the stack.
  let index = 0;
  const indexOf = new Map<string, number>();
  const lowOf = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const circles: string[][] = [];
  for (const start of graph.keys()) {
    if (indexOf.has(start)) continue;
    const work: Array<{ node: string; next: number }> = [{ node: start, next: 0 }];
    indexOf.set(start, index);
    lowOf.set(start, index++);
    stack.push(start);
    onStack.add(start);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const targets = graph.get(frame.node) ?? [];
      if (frame.next < targets.length) {
        const target = targets[frame.next++]!;
        if (!indexOf.has(target)) {
          indexOf.set(target, index);
          lowOf.set(target, index++);
          stack.push(target);
          onStack.add(target);
          work.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          lowOf.set(frame.node, Math.min(lowOf.get(frame.node)!, indexOf.get(target)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) lowOf.set(parent.node, Math.min(lowOf.get(parent.node)!, lowOf.get(frame.node)!));
      if (lowOf.get(frame.node) === indexOf.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        if (component.length > 1 || (graph.get(frame.node) ?? []).includes(frame.node)) circles.push(component.sort());
      }
    }
  }
  return circles;
}

describe('import circles', () => {
  it('finds a circle of two, one of three, and a file importing itself, and nothing in a chain', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'import-circles-'));
    try {
      const write = (name: string, body: string) => {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), body);
      };
      write('a.ts', "import { b } from './b';\n");
      write('b.ts', "import type { A } from './a';\n");
      write('c.ts', "export * from './d/index';\n");
      write('d/index.ts', "import { e } from '../e';\n");
      write('e.ts', "import { c } from './c';\nimport fs from 'node:fs';\n");
      write('self.ts', "import { self } from './self';\n");
      write('chain1.ts', "import { x } from './chain2';\n");
      write('chain2.ts', "import { y } from './a';\n");
      const circles = importCircles(importGraph([dir])).map((circle) => circle.map((file) => path.relative(dir, file)));
      assert.deepEqual(circles.sort((x, y) => x[0]!.localeCompare(y[0]!)), [['a.ts', 'b.ts'], ['c.ts', 'd/index.ts', 'e.ts'], ['self.ts']]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('src/ and emulator/ have none', () => {
    const circles = importCircles(importGraph([path.join(ROOT, 'src'), path.join(ROOT, 'emulator')]));
    assert.deepEqual(circles.map((circle) => circle.map((file) => path.relative(ROOT, file)).join(' ↔ ')), []);
  });
});
