// A crystal on the GPU: a radius-graph model on a periodic cell against the float64 reference, and the
// physics a periodic model must respect: moving an atom by a lattice vector changes nothing, and a 2x1x1
// supercell gives every atom the output it has in the primitive cell.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gpu, gpuContext, releaseGpu, scaledError } from "../../test/gpu.js";
import { CompiledModel } from "../../runtime/model/compiled-model.js";
import type { GraphInput } from "../../runtime/graph/batching.js";
import { executeForward, initParams } from "../reference/index.js";
import { compileOrThrow } from "../../test/test-models.js";
import { planModel } from "./plan.js";

beforeAll(gpuContext);
afterAll(releaseGpu);

const ir = compileOrThrow(`model Crystal {
  graph radius 2.6
  input z: 2x0e
  input pos: positions
  edge sh = spherical_harmonics(lmax: 2)
  edge emb = bessel(count: 6, cutoff: 2.6)
  layer a = conv(z, sh, emb, radial: [8], num_neighbors: 12) -> 2x0e + 1o + 2e
  layer b = conv(a, sh, emb, radial: [8], num_neighbors: 12) -> 0e + 1o
  output y = b
}`);

// Rock salt's primitive cell (fcc, a = 3), two species, atoms slightly displaced so that vectors are not zero.
const CELL = [0, 1.5, 1.5, 1.5, 0, 1.5, 1.5, 1.5, 0];
const crystal = (pos: number[]): GraphInput => ({ numNodes: 2, features: { z: [1, 0, 0, 1], pos }, cell: { vectors: CELL } });
const BASE = [0.05, -0.02, 0.01, 1.52, 1.47, 1.55];

describe("periodic crystals on the GPU", () => {
  it("match the float64 reference, do not see lattice translations of an atom, and repeat in a supercell", async () => {
    const params = initParams(ir, 4);
    const model = await CompiledModel.fromPlan(gpu().device, planModel(ir), { params });
    try {
      const batch = model.batch([crystal(BASE)]);
      expect(batch.numEdges).toBeGreaterThan(20); // images of both atoms, the atoms' own included
      const { y } = await model.forward(batch);
      const ref = executeForward(ir, params, batch).outputs.y!;
      expect(scaledError(y!, ref, 1e-3)).toBeLessThan(1e-5);
      expect(Math.hypot(...ref)).toBeGreaterThan(1e-3);

      // Atom 1 moved by a - b + 2c: the same crystal.
      const moved = [...BASE];
      for (let c = 0; c < 3; c++) moved[3 + c] += CELL[c]! - CELL[3 + c]! + 2 * CELL[6 + c]!;
      const { y: again } = await model.forward([crystal(moved)]);
      expect(scaledError(again!, ref, 1e-3)).toBeLessThan(1e-5);

      // The 2x1x1 supercell: atoms and their copies one a further, cell (2a, b, c).
      const superPos = [...BASE, ...BASE.map((v, i) => v + CELL[i % 3]!)];
      const superCell = { vectors: [2 * CELL[0]!, 2 * CELL[1]!, 2 * CELL[2]!, ...CELL.slice(3)] };
      const { y: big } = await model.forward([{ numNodes: 4, features: { z: [1, 0, 0, 1, 1, 0, 0, 1], pos: superPos }, cell: superCell }]);
      expect(scaledError(big!, [...ref, ...ref], 1e-3)).toBeLessThan(1e-5);

      // Without the cell it is a different (finite) system.
      const { y: molecule } = await model.forward([{ numNodes: 2, features: { z: [1, 0, 0, 1], pos: BASE } }]);
      expect(scaledError(molecule!, ref, 1e-3)).toBeGreaterThan(1e-2);
    } finally {
      model.destroy();
    }
  });
});
