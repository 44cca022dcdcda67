import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { compileOrThrow } from "../../test/test-models.js";
import { methaneStretch, perovskiteZ, squareToRectangle, type Graph } from "../../scripts/discover-data.js";
import { commonInputSymmetry, graphInputSymmetry } from "./input-symmetry.js";

const spec = (name: string) => compileOrThrow(readFileSync(new URL(`../../specs/${name}.regnn`, import.meta.url), "utf8"), `${name}.regnn`);
const asInput = (g: Graph): GraphInput => ({ numNodes: g.nodes, features: { ...g.inputs, ...g.targets }, ...(g.cell ? { cell: { vectors: g.cell.flat() } } : {}) });

describe("graphInputSymmetry", () => {
  it("methane with carbon and hydrogens told apart: Td", () => {
    const s = graphInputSymmetry(spec("methane_stretch"), asInput(methaneStretch())).symmetry!;
    expect([s.name, s.operations.length]).toEqual(["Td", 24]);
  });

  it("the perovskite cell (periodic, three species): the crystal class Oh", () => {
    const s = graphInputSymmetry(spec("perovskite_shift"), asInput(perovskiteZ())).symmetry!;
    expect([s.name, s.operations.length]).toEqual(["Oh", 48]);
  });

  it("the square turned 30° about z: D4h about z, a secondary axis along a side or a diagonal", () => {
    const s = graphInputSymmetry(spec("square_to_rectangle"), asInput(squareToRectangle())).symmetry!;
    expect(s.name).toBe("D4h");
    expect(Math.abs(s.axis![2]!)).toBeCloseTo(1, 6);
  });

  it("node vectors the model reads cut the structure's group down: a square with 1o inputs along z keeps C4v", () => {
    const ir = compileOrThrow(`model V {
      symmetry relax to C1 lmax 1
      graph radius 2
      input v: 1o
      input pos: positions
      target t: 0e
      edge sh = spherical_harmonics(lmax: 1)
      edge emb = bessel(count: 4, cutoff: 2)
      layer h = relaxed_conv(v, sh, emb, radial: [4], num_neighbors: 3) -> 0e
      output y = h
    }`);
    const g = { numNodes: 4, features: { pos: [0.5, 0.5, 0, 0.5, -0.5, 0, -0.5, 0.5, 0, -0.5, -0.5, 0], v: [0, 0, 1, 0, 0, 1, 0, 0, 1, 0, 0, 1], t: [0, 0, 0, 0] } };
    const s = graphInputSymmetry(ir, g).symmetry!;
    expect([s.name, s.operations.length]).toEqual(["C4v", 8]);
  });

  it("no positions: no point group, and commonInputSymmetry says null", () => {
    const ir = spec("tilted_particle");
    const g = { numNodes: 1, features: { x: [1, 0.2, 0.3, 0.4], a: [0, 0, 0] } };
    expect(graphInputSymmetry(ir, g)).toEqual({ symmetry: null, why: "the model has no positions input" });
    expect(commonInputSymmetry(ir, [g])).toBeNull();
  });

  it("graphs with different point groups have no common one", () => {
    const ir = spec("square_to_rectangle");
    const square = asInput(squareToRectangle());
    const oblong = { ...square, features: { ...square.features, pos: [0.7, 0.4, 0, 0.7, -0.4, 0, -0.7, 0.4, 0, -0.7, -0.4, 0] } };
    expect(commonInputSymmetry(ir, [square, square])!.name).toBe("D4h");
    expect(commonInputSymmetry(ir, [square, oblong])).toBeNull();
  });
});
