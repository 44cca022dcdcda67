/**
 * Extended XYZ, as ASE writes it, read into the regnn dataset structure (then checked like JSON data):
 * each frame is an atom count, a comment line of key=value pairs (`Properties=species:S:1:pos:R:3:...`,
 * `Lattice="..."`, `pbc="..."`, and per-frame values such as `energy=-1.5`), then one line per atom.
 *
 * The spec's fields are found by name: the positions input from the `pos` column (or a column with the
 * input's own name), every other per-node input and target from the per-atom column of its name (real or
 * integer, as many numbers as its irreps have), and per-graph ones from the comment line's key of that name.
 * A `Lattice` with a periodic axis (ASE's default pbc is "T T T") becomes the graph's periodic cell.
 * Errors name the file and the line.
 */
import type { ModelIR } from "../ir/types.js";
import { Irreps } from "../o3/irreps.js";
import { DatasetError } from "./dataset.js";

interface Column {
  name: string;
  type: "S" | "R" | "I" | "L";
  count: number;
  offset: number;
}

/** key=value pairs; values may be "double quoted" (with spaces) or bare. */
function commentPairs(line: string, where: string): Map<string, string> {
  const out = new Map<string, string>();
  const re = /\s*([A-Za-z_][A-Za-z0-9_\-]*)\s*(?:=\s*(?:"([^"]*)"|'([^']*)'|\{([^}]*)\}|([^\s"']+)))?/y;
  let at = 0;
  while (at < line.length) {
    if (/^\s*$/.test(line.slice(at))) break;
    re.lastIndex = at;
    const m = re.exec(line);
    if (!m || m.index !== at || re.lastIndex === at) throw new DatasetError(`${where}: cannot read the comment line near '${line.slice(at, at + 20).trim()}'`);
    out.set(m[1]!, m[2] ?? m[3] ?? m[4] ?? m[5] ?? "T");
    at = re.lastIndex;
  }
  return out;
}

function columns(spec: string, where: string): Column[] {
  const parts = spec.split(":");
  if (parts.length % 3 !== 0) throw new DatasetError(`${where}: Properties must be name:type:count triples, got '${spec}'`);
  const cols: Column[] = [];
  let offset = 0;
  for (let i = 0; i < parts.length; i += 3) {
    const [name, type, countText] = [parts[i]!, parts[i + 1]!, parts[i + 2]!];
    const count = Number(countText);
    if (!["S", "R", "I", "L"].includes(type) || !Number.isInteger(count) || count < 1) {
      throw new DatasetError(`${where}: Properties entry '${name}:${type}:${countText}' is not name:S|R|I|L:count`);
    }
    cols.push({ name, type: type as Column["type"], count, offset });
    offset += count;
  }
  return cols;
}

function finiteNumbers(text: string[], where: string, what: string): number[] {
  return text.map((t) => {
    const v = Number(t);
    if (t.trim() === "" || !Number.isFinite(v)) throw new DatasetError(`${where}: ${what}: '${t}' is not a finite number`);
    return v;
  });
}

/** The dataset object ({ graphs: [...] }) that `text` describes for `ir`. */
export function extxyzDataset(text: string, file: string, ir: ModelIR): { graphs: unknown[] } {
  const lines = text.split(/\r?\n/);
  const graphs: unknown[] = [];
  const fields = [...ir.inputs.map((f) => ({ ...f, kind: "inputs" as const })), ...ir.targets.map((f) => ({ ...f, kind: "targets" as const }))];
  const edgeField = fields.find((f) => f.domain === "edge");
  if (edgeField) throw new DatasetError(`${file}: '${edgeField.name}' is per edge, and extended XYZ has no per-edge data; use the JSON format (docs/dataset.md)`);
  let i = 0;
  while (i < lines.length) {
    if (lines[i]!.trim() === "") {
      i++;
      continue;
    }
    const head = `${file}:${i + 1}`;
    const n = Number(lines[i]!.trim());
    if (!Number.isInteger(n) || n < 0) throw new DatasetError(`${head}: expected the number of atoms of frame ${graphs.length}, found '${lines[i]!.trim().slice(0, 40)}'`);
    if (n === 0) throw new DatasetError(`${head}: frame ${graphs.length} has no atoms (a graph without nodes has no outputs and adds nothing to the loss)`);
    if (i + 2 + n > lines.length) throw new DatasetError(`${head}: frame ${graphs.length} announces ${n} atoms but the file ends first`);
    const info = commentPairs(lines[i + 1] ?? "", `${file}:${i + 2}`);
    const cols = columns(info.get("Properties") ?? "species:S:1:pos:R:3", `${file}:${i + 2}`);
    const width = cols.reduce((s, c) => s + c.count, 0);
    // ASE: a Lattice without pbc is periodic along all three axes; pbc without a Lattice means nothing.
    const lattice = info.get("Lattice");
    const pbcText = info.get("pbc") ?? "T T T";
    const pbc = pbcText.trim().split(/[\s,]+/).map((t) => {
      if (/^(t|true)$/i.test(t)) return true;
      if (/^(f|false)$/i.test(t)) return false;
      throw new DatasetError(`${file}:${i + 2}: pbc must be three of T / F, got "${pbcText}"`);
    });
    if (pbc.length !== 3) throw new DatasetError(`${file}:${i + 2}: pbc must be three of T / F, got "${pbcText}"`);
    let cell: number[] | undefined;
    if (lattice !== undefined && pbc.some(Boolean)) {
      cell = finiteNumbers(lattice.trim().split(/[\s,]+/), `${file}:${i + 2}`, "Lattice");
      if (cell.length !== 9) throw new DatasetError(`${file}:${i + 2}: Lattice must hold 9 numbers (a, b, c), got ${cell.length}`);
    }
    const rows = lines.slice(i + 2, i + 2 + n).map((l, k) => {
      const cells = l.trim().split(/\s+/);
      if (cells.length !== width) throw new DatasetError(`${file}:${i + 3 + k}: expected ${width} columns (${cols.map((c) => `${c.name}:${c.type}:${c.count}`).join(":")}), found ${cells.length}`);
      return cells;
    });
    // No prototype: a field named __proto__ becomes data, not the object's prototype.
    const record = () => Object.create(null) as Record<string, number[]>;
    const graph: { nodes: number; inputs: Record<string, number[]>; targets: Record<string, number[]>; cell?: number[]; pbc?: boolean[] } = { nodes: n, inputs: record(), targets: record() };
    if (cell) Object.assign(graph, { cell, pbc });
    for (const f of fields) {
      const dim = Irreps.parse(f.irreps).dim;
      if (f.domain === "graph") {
        const value = info.get(f.name);
        if (value === undefined) continue; // reported as missing, with the record's name, by the dataset check
        graph[f.kind][f.name] = finiteNumbers(value.trim().split(/[\s,]+/), `${file}:${i + 2}`, f.name);
        continue;
      }
      const col = cols.find((c) => c.name === f.name) ?? (f.name === ir.graph.positions ? cols.find((c) => c.name === "pos") : undefined);
      if (!col) continue;
      if (col.type !== "R" && col.type !== "I") throw new DatasetError(`${file}:${i + 2}: column '${col.name}' holds ${col.type === "S" ? "text" : "logicals"}, but '${f.name}' needs numbers`);
      if (col.count !== dim) throw new DatasetError(`${file}:${i + 2}: column '${col.name}' has ${col.count} numbers per atom, but '${f.name}' (${f.irreps}) needs ${dim}`);
      graph[f.kind][f.name] = rows.flatMap((cells, k) => finiteNumbers(cells.slice(col.offset, col.offset + col.count), `${file}:${i + 3 + k}`, col.name));
    }
    graphs.push(graph);
    i += 2 + n;
  }
  return { graphs };
}
