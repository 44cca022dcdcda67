/**
 * The longest loop one invocation of a kernel runs, read from its WGSL: what each `for (var i = S; i < E; …)`
 * bound grows with once E's `let`s are expanded. A GPU runs thousands of invocations at once, so a loop that
 * grows with the batch's nodes or edges (a serial reduction) starves it; loops over one node's own CSR
 * neighbours ("degree") or of a size fixed by the spec ("const") do not.
 *
 * It reads the code the plan will run, so a kernel cannot claim a bound it does not have. The forms it knows:
 * a bound with no batch size in it is "const"; `min(S + K, …)` or `min(…, K)` with K batch-independent is
 * "const" (a block); a bound read from `dst_offsets` / `src_offsets` is "degree", from `graph_node_offsets`
 * "graph" (a graph's own nodes); otherwise the batch size it mentions.
 */
import type { LoopBound } from "../../runtime/model/plan.js";

const RANK: Record<LoopBound, number> = { const: 0, degree: 1, graph: 2, graphs: 3, nodes: 4, edges: 5, unknown: 6 };

/** The worst loop bound of a kernel (the one that grows fastest with the batch). */
export function loopBound(wgsl: string): LoopBound {
  const code = wgsl.replace(/\/\/[^\n]*/g, "");
  const lets = new Map<string, string>();
  for (const m of code.matchAll(/\blet\s+(\w+)\s*(?::\s*\w+\s*)?=\s*([^;]+);/g)) lets.set(m[1]!, m[2]!.trim());
  // `opaque` is params.nodes >> 31, which is 0 for every batch (common.ts): a constant in disguise.
  lets.set("opaque", "0u");
  // A loop of a form not read here (while, loop, a for with another condition) is "unknown": never const.
  if (/\b(while|loop)\b/.test(code)) return "unknown";
  const loops = [...code.matchAll(/for\s*\(\s*var\s+(\w+)\s*(?::\s*\w+\s*)?=\s*([^;]+);\s*(\w+)\s*<(?!=)\s*([^;]+);/g)];
  if (loops.length !== (code.match(/\bfor\s*\(/g) ?? []).length) return "unknown";
  let worst: LoopBound = "const";
  for (const m of loops) {
    if (m[3] !== m[1]) return "unknown";
    const b = boundOf(expand(m[2]!.trim(), lets), expand(m[4]!.trim(), lets));
    if (RANK[b] > RANK[worst]) worst = b;
  }
  return worst;
}

function expand(expr: string, lets: Map<string, string>, depth = 0): string {
  if (depth > 12) throw new Error(`loop bound: let chain too deep at '${expr}'`);
  return expr.replace(/\b[A-Za-z_]\w*\b(?!\s*[(:])/g, (id, offset: number, all: string) => {
    if (all[offset - 1] === ".") return id; // a field (params.nodes, v.x)
    const def = lets.get(id);
    return def === undefined ? id : `(${expand(def, lets, depth + 1)})`;
  });
}

/** The batch size an expression depends on (none: "const"). */
function sizeIn(expr: string): LoopBound {
  if (/\b(dst_offsets|src_offsets)\s*\[/.test(expr)) return "degree";
  if (/\bgraph_node_offsets\s*\[/.test(expr)) return "graph";
  if (/params\.edges/.test(expr)) return "edges";
  if (/params\.nodes|params\.rows/.test(expr)) return "nodes";
  if (/params\.graphs/.test(expr)) return "graphs";
  return "const";
}

function boundOf(start: string, end: string): LoopBound {
  const args = minArgs(end);
  if (args) {
    for (const a of args) {
      if (sizeIn(a) === "const") return "const";
      // min(start + K, …): a block of K from the start.
      const rest = stripParens(a).startsWith(`${start} +`) ? stripParens(a).slice(start.length + 2) : undefined;
      if (rest !== undefined && sizeIn(rest) === "const") return "const";
    }
  }
  const s = sizeIn(end);
  // A CSR range: start and end read from the same offsets array.
  return s;
}

function stripParens(e: string): string {
  let s = e.trim();
  while (s.startsWith("(") && s.endsWith(")") && balanced(s.slice(1, -1))) s = s.slice(1, -1).trim();
  return s;
}

function balanced(s: string): boolean {
  let d = 0;
  for (const c of s) {
    if (c === "(") d++;
    if (c === ")" && --d < 0) return false;
  }
  return d === 0;
}

/** The top-level arguments of `min(a, b)`, or undefined when the expression is not a min. */
function minArgs(expr: string): string[] | undefined {
  const s = stripParens(expr);
  if (!s.startsWith("min(") || !s.endsWith(")") || !balanced(s.slice(4, -1))) return undefined;
  const inner = s.slice(4, -1), out: string[] = [];
  let d = 0, from = 0;
  for (let i = 0; i < inner.length; i++) {
    const c = inner[i];
    if (c === "(") d++;
    else if (c === ")") d--;
    else if (c === "," && d === 0) {
      out.push(inner.slice(from, i).trim());
      from = i + 1;
    }
  }
  out.push(inner.slice(from).trim());
  return out;
}
