/**
 * The datasets of the paper's experiments, as data (docs/dataset.md format); paper-data.ts writes them to
 * data/, the web app builds them in. No Node here, so browsers can import it.
 */
import { sphericalHarmonics } from "../compiler/o3/spherical-harmonics.js";
import { randomNormal, seededRng } from "../util/random.js";

export type Graph = { nodes: number; inputs: Record<string, number[]>; targets: Record<string, number[]> };

const CUBE: number[] = [];
for (const x of [-0.5, 0.5]) for (const y of [-0.5, 0.5]) for (const z of [-0.5, 0.5]) CUBE.push(x, y, z);

/** The cube's vertices (input: a scalar 1 each) with targets peaked at the deformed vertices (SH l <= 2). */
export function deformedCube(deformed: number[]): Graph {
  return {
    nodes: 8,
    inputs: { x: new Array(8).fill(1), pos: [...CUBE] },
    targets: { t: Array.from(sphericalHarmonics([0, 1, 2], deformed, { normalization: "component" })) },
  };
}

export const cubeToCube = () => deformedCube(CUBE);
export const cubeToPrism = () => deformedCube(CUBE.map((v, i) => v * [0.5, 0.5, 2][i % 3]!));
export function cubeToBox(): Graph {
  const rng = seededRng(7);
  return deformedCube(CUBE.map((v, i) => v * [1.2, 1.5, 1.8][i % 3]! + 0.05 * randomNormal(rng)));
}

/** a = E + v x B for velocities v ~ N(0, 1)^3; input [1, v], target a. */
export function chargedParticle(count: number, seed: number): Graph[] {
  const rng = seededRng(seed);
  const E = [1, 0, 0], B = [0, 1, 0];
  return Array.from({ length: count }, () => {
    const v = [randomNormal(rng), randomNormal(rng), randomNormal(rng)];
    const a = [E[0]! + v[1]! * B[2]! - v[2]! * B[1]!, E[1]! + v[2]! * B[0]! - v[0]! * B[2]!, E[2]! + v[0]! * B[1]! - v[1]! * B[0]!];
    return { nodes: 1, inputs: { x: [1, ...v] }, targets: { a } };
  });
}
