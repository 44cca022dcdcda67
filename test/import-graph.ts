/**
 * The repository's static import graph (relative imports and re-exports between its own TypeScript files, type-only
 * ones included), read with the TypeScript compiler's pre-processor: no type checking, so it is quick and sees
 * the files exactly as written. Paths are repository-relative with forward slashes.
 */
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, normalize, sep } from "node:path";
import ts from "typescript";

export type ImportGraph = Map<string, string[]>;

const SKIP = new Set(["node_modules", "dist", ".git"]);

function sourceFiles(root: string, dir: string, out: string[]): void {
  for (const name of readdirSync(join(root, dir))) {
    if (SKIP.has(name)) continue;
    const path = join(dir, name);
    if (statSync(join(root, path)).isDirectory()) sourceFiles(root, path, out);
    else if (/\.(ts|mts)$/.test(name) && !name.endsWith(".d.ts")) out.push(path.split(sep).join("/"));
  }
}

/** The file a relative specifier names (`./x.js` is written for `./x.ts`), or undefined when it is not ours. */
function resolve(root: string, from: string, specifier: string): string | undefined {
  if (!specifier.startsWith(".")) return undefined;
  const base = normalize(join(dirname(from), specifier)).split(sep).join("/");
  for (const candidate of [base.replace(/\.(m?)js$/, ".$1ts"), base, `${base}.ts`, `${base}/index.ts`])
    if (existsSync(join(root, candidate)) && statSync(join(root, candidate)).isFile()) return candidate;
  throw new Error(`${from}: cannot resolve '${specifier}'`);
}

/** Every file under `dirs` (relative to `root`) and the repository files each one imports. */
export function importGraph(root: string, dirs: readonly string[]): ImportGraph {
  const files: string[] = [];
  for (const d of dirs) sourceFiles(root, d, files);
  const graph: ImportGraph = new Map();
  for (const file of files) {
    const info = ts.preProcessFile(readFileSync(join(root, file), "utf8"), true, true);
    const targets = info.importedFiles.map((f) => resolve(root, file, f.fileName)).filter((t): t is string => t !== undefined);
    graph.set(file, [...new Set(targets)]);
  }
  return graph;
}

/** Every file reachable from `file` (itself excluded unless on a cycle). */
export function reachable(graph: ImportGraph, file: string): Set<string> {
  const seen = new Set<string>();
  const stack = [...(graph.get(file) ?? [])];
  while (stack.length > 0) {
    const f = stack.pop()!;
    if (seen.has(f)) continue;
    seen.add(f);
    stack.push(...(graph.get(f) ?? []));
  }
  return seen;
}

/** One import chain from `from` to a file matching `to`, for a readable failure, or undefined. */
export function chain(graph: ImportGraph, from: string, to: (f: string) => boolean): string[] | undefined {
  const parent = new Map<string, string>([[from, ""]]);
  const queue = [from];
  while (queue.length > 0) {
    const f = queue.shift()!;
    for (const t of graph.get(f) ?? []) {
      if (parent.has(t)) continue;
      parent.set(t, f);
      if (to(t)) {
        const path = [t];
        for (let p = f; p !== ""; p = parent.get(p)!) path.unshift(p);
        return path;
      }
      queue.push(t);
    }
  }
  return undefined;
}

/** The strongly connected components with more than one file (or a file importing itself): the import cycles. */
export function cycles(graph: ImportGraph): string[][] {
  // Tarjan's algorithm, iterative so a deep graph cannot overflow the stack.
  const index = new Map<string, number>(), low = new Map<string, number>(), onStack = new Set<string>();
  const stack: string[] = [], out: string[][] = [];
  let next = 0;
  for (const start of graph.keys()) {
    if (index.has(start)) continue;
    const work: [string, number][] = [[start, 0]];
    index.set(start, next), low.set(start, next++), stack.push(start), onStack.add(start);
    while (work.length > 0) {
      const top = work[work.length - 1]!;
      const [v, i] = top;
      const edges = graph.get(v) ?? [];
      if (i < edges.length) {
        top[1]++;
        const w = edges[i]!;
        if (!index.has(w)) {
          index.set(w, next), low.set(w, next++), stack.push(w), onStack.add(w);
          work.push([w, 0]);
        } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
        continue;
      }
      work.pop();
      if (work.length > 0) {
        const u = work[work.length - 1]![0];
        low.set(u, Math.min(low.get(u)!, low.get(v)!));
      }
      if (low.get(v) === index.get(v)) {
        const component: string[] = [];
        let w: string;
        do {
          w = stack.pop()!;
          onStack.delete(w);
          component.push(w);
        } while (w !== v);
        if (component.length > 1 || edges.includes(v)) out.push(component.sort());
      }
    }
  }
  return out;
}
