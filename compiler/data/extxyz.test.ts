// Extended XYZ (ASE's convention) read into graphs for a spec: columns and per-frame values found by name,
// errors with file:line.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { compileOrThrow } from "../../test/test-models.js";
import { readDataset } from "./read.js";

const ir = compileOrThrow(`model Mol {
  graph radius 2.0
  input z: 0e
  input pos: positions
  target forces: 1o
  target energy: 0e per graph
  edge sh = spherical_harmonics(lmax: 1)
  edge emb = bessel(count: 4, cutoff: 2.0)
  layer h = conv(z, sh, emb) -> 0e + 1o
  layer f = linear(h) -> 1o
  output y = f
  train { loss: sse(y, forces) }
}`, "mol.regnn");

const dir = mkdtempSync(join(tmpdir(), "regnn-xyz-"));
function read(text: string) {
  const path = join(dir, "d.extxyz");
  writeFileSync(path, text);
  return readDataset(path, ir);
}

const WATER = `3
Properties=species:S:1:pos:R:3:z:I:1:forces:R:3 energy=-14.2 pbc="F F F" comment="water, two frames"
O  0.0  0.0  0.1   8   0.0  0.0 -0.5
H  0.0  0.76 -0.5  1   0.0  0.1  0.2
H  0.0 -0.76 -0.5  1   0.0 -0.1  0.2
2
Properties=species:S:1:pos:R:3:z:I:1:forces:R:3 energy=-1.5e0
H 0 0 0    1  0 0 1
H 0 0 0.74 1  0 0 -1
`;

describe("extended XYZ", () => {
  it("reads frames, columns by name (pos for the positions) and per-frame values", () => {
    const graphs = read(WATER);
    expect(graphs.map((g) => g.numNodes)).toEqual([3, 2]);
    expect(Array.from(graphs[0]!.features.pos!)).toEqual([0, 0, 0.1, 0, 0.76, -0.5, 0, -0.76, -0.5]);
    expect(Array.from(graphs[0]!.features.z!)).toEqual([8, 1, 1]);
    expect(Array.from(graphs[1]!.features.forces!)).toEqual([0, 0, 1, 0, 0, -1]);
    expect(Array.from(graphs[1]!.features.energy!)).toEqual([-1.5]);
  });

  it("reads a Lattice as the frame's periodic cell (all axes periodic unless pbc says otherwise)", () => {
    const [crystal] = read(WATER.replace('pbc="F F F"', 'Lattice="5 0 0 0 5 0 0 0 6"'));
    expect(crystal!.cell).toEqual({ vectors: [5, 0, 0, 0, 5, 0, 0, 0, 6], pbc: [true, true, true] });
    const [slab] = read(WATER.replace('pbc="F F F"', 'Lattice="5 0 0 0 5 0 0 0 6" pbc="T T F"'));
    expect(slab!.cell!.pbc).toEqual([true, true, false]);
    const [molecule] = read(WATER.replace('pbc="F F F"', 'Lattice="5 0 0 0 5 0 0 0 6" pbc="F F F"'));
    expect(molecule!.cell).toBeUndefined();
  });

  it("names the file and line of what is wrong", () => {
    expect(() => read(WATER.replace("8   0.0  0.0 -0.5", "8   0.0  0.0"))).toThrow("d.extxyz:3: expected 8 columns (species:S:1:pos:R:3:z:I:1:forces:R:3), found 7");
    expect(() => read(WATER.replace("0.76 -0.5  1   0.0  0.1", "0.76 -0.5  1   nan  0.1"))).toThrow("d.extxyz:4: forces: 'nan' is not a finite number");
    expect(() => read(WATER.replace("forces:R:3 energy=-14.2", "forces:R:2 energy=-14.2"))).toThrow("d.extxyz:3: expected 7 columns (species:S:1:pos:R:3:z:I:1:forces:R:2), found 8");
    expect(() => read(WATER.replace("z:I:1:forces", "z:S:1:forces"))).toThrow("d.extxyz:2: column 'z' holds text, but 'z' needs numbers");
    expect(() => read(WATER.replace('pbc="F F F"', 'Lattice="5 0 0 0 5 0 0" pbc="T T T"'))).toThrow("d.extxyz:2: Lattice must hold 9 numbers (a, b, c), got 7");
    expect(() => read(WATER.replace('pbc="F F F"', 'Lattice="5 0 0 0 5 0 0 0 5" pbc="T T X"'))).toThrow('d.extxyz:2: pbc must be three of T / F, got "T T X"');
    expect(() => read(WATER.replace('pbc="F F F"', 'Lattice="5 0 0 0 5 0 0 0 0"'))).toThrow("d.extxyz: graphs[0].cell.vectors: the lattice vectors are not independent (zero volume)");
    expect(() => read(WATER.replace("2\nProperties", "5\nProperties"))).toThrow("d.extxyz:6: frame 1 announces 5 atoms but the file ends first");
    expect(() => read(WATER.replace(" energy=-1.5e0", ""))).toThrow("d.extxyz: graphs[1].targets.energy: missing (1x0e per graph)");
    expect(() => read("two\n")).toThrow("d.extxyz:1: expected the number of atoms of frame 0, found 'two'");
  });
});

describe("extended XYZ on any input", () => {
  it("either reads graphs or throws a DatasetError naming the file, for mutated files and random text", async () => {
    const fc = (await import("fast-check")).default;
    const { DatasetError } = await import("./dataset.js");
    const check = (text: string) => {
      try {
        read(text);
      } catch (e) {
        expect(e).toBeInstanceOf(DatasetError);
        expect((e as Error).message.startsWith("d.extxyz")).toBe(true);
      }
    };
    const lines = WATER.split("\n");
    fc.assert(
      fc.property(fc.array(fc.record({ at: fc.nat(), cut: fc.nat(), text: fc.string({ maxLength: 8 }) }), { minLength: 1, maxLength: 3 }), (edits) => {
        const ls = [...lines];
        for (const { at, cut, text } of edits) {
          const i = at % ls.length;
          const line = ls[i]!;
          const k = cut % (line.length + 1);
          ls[i] = line.slice(0, k) + text + line.slice(k + text.length);
        }
        check(ls.join("\n"));
      }),
      { numRuns: 1500, seed: 7 },
    );
    fc.assert(fc.property(fc.string({ maxLength: 200 }), check), { numRuns: 500, seed: 8 });
  });
});
