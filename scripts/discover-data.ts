/**
 * `npm run data:discover`: datasets with a known answer for `regnnc discover` (issue 15), in data/:
 * - square_to_rectangle.json: a planar square (D4h), its sides turned 30° about z, learns signals peaked at
 *   the corners of a rectangle stretched along one side: the data keeps D2h with axes along the sides.
 * - methane_stretch.json: methane (Td) learns each atom's displacement (1o) as one C-H bond, along
 *   (1, 1, 1), is stretched by 0.3: the data keeps C3v about that bond.
 * - perovskite_011.json: a cubic perovskite cell ABO3 (crystal class Oh) whose B atom shifts along (0, 1, 1)
 *   (each atom's displacement, 1o, is the target): the data keeps C2v about (0, 1, 1).
 * - perovskite_z.json: the textbook case, every atom shifting along z by its own amount (the tetragonal
 *   ferroelectric): the data keeps C4v about z.
 * - tilted_particle.json: the charged particle with E along (1, 1, 0)/√2 and B along (-1, 1, 0)/√2: the
 *   data keeps Cs with its mirror normal along B (no common input symmetry: random velocities).
 */
import { mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { sphericalHarmonics } from "../compiler/o3/spherical-harmonics.js";
import { randomNormal, seededRng } from "../util/random.js";
import { writeDataset } from "./paper-data.js";

export type Graph = { nodes: number; inputs: Record<string, number[]>; targets: Record<string, number[]>; cell?: number[][] };

const signal = (positions: number[]) => Array.from(sphericalHarmonics([0, 1, 2], positions, { normalization: "component" }));

/** Corners of a unit square in the z = 0 plane, sides along (cos 30°, sin 30°, 0) and (-sin 30°, cos 30°, 0). */
export const SIDE_ANGLE = Math.PI / 6;
export function squareToRectangle(): Graph {
  const u = [Math.cos(SIDE_ANGLE), Math.sin(SIDE_ANGLE), 0], v = [-Math.sin(SIDE_ANGLE), Math.cos(SIDE_ANGLE), 0];
  const at = (a: number, b: number) => [0, 1, 2].map((k) => a * u[k]! + b * v[k]!);
  const corners = [[0.5, 0.5], [0.5, -0.5], [-0.5, 0.5], [-0.5, -0.5]];
  return {
    nodes: 4,
    inputs: { x: [1, 1, 1, 1], pos: corners.flatMap(([a, b]) => at(a!, b!)) },
    targets: { t: signal(corners.flatMap(([a, b]) => at(1.4 * a!, 0.8 * b!))) },
  };
}

/** Methane (C at the origin, C-H 1.09 along (±1, ±1, ±1)); the first hydrogen moves 0.3 out along its bond. */
export function methaneStretch(): Graph {
  const h = 1.09 / Math.sqrt(3), s = 0.3 / Math.sqrt(3);
  const pos = [0, 0, 0, h, h, h, h, -h, -h, -h, h, -h, -h, -h, h];
  const d = [0, 0, 0, s, s, s, 0, 0, 0, 0, 0, 0, 0, 0, 0];
  return { nodes: 5, inputs: { x: [1, 0, 0, 1, 0, 1, 0, 1, 0, 1], pos }, targets: { d } };
}

/** The cubic perovskite ABO3 cell (a = 1): A at the corner, B at the centre, O at the face centres. */
const PEROVSKITE = [0, 0, 0, 0.5, 0.5, 0.5, 0.5, 0.5, 0, 0.5, 0, 0.5, 0, 0.5, 0.5];
const SPECIES = [1, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 1]; // one-hot A, B, O
const CELL = [[1, 0, 0], [0, 1, 0], [0, 0, 1]];

/** The B atom shifts along (0, 1, 1)/√2 by 0.05, the O atoms slightly against it. */
export function perovskite011(): Graph {
  const s = 0.05 / Math.SQRT2;
  const d = [0, 0, 0, 0, s, s, 0, -0.2 * s, -0.2 * s, 0, -0.2 * s, -0.2 * s, 0, -0.2 * s, -0.2 * s];
  return { nodes: 5, cell: CELL, inputs: { x: SPECIES, pos: PEROVSKITE }, targets: { d: d.map((v) => 10 * v) } };
}

/** Every atom shifts along z: A 0.01, B 0.05, the apical O (0.5, 0.5, 0) -0.03, the others -0.02 (x 10). */
export function perovskiteZ(): Graph {
  const dz = [0.01, 0.05, -0.03, -0.02, -0.02];
  return { nodes: 5, cell: CELL, inputs: { x: SPECIES, pos: PEROVSKITE }, targets: { d: dz.flatMap((z) => [0, 0, 10 * z]) } };
}

/** a = E + v x B with E = (1, 1, 0)/√2, B = (-1, 1, 0)/√2; input [1, v], target a. */
export function tiltedParticle(count: number, seed: number): Graph[] {
  const rng = seededRng(seed);
  const r = Math.SQRT1_2, E = [r, r, 0], B = [-r, r, 0];
  return Array.from({ length: count }, () => {
    const v = [randomNormal(rng), randomNormal(rng), randomNormal(rng)];
    const a = [E[0]! + v[1]! * B[2]! - v[2]! * B[1]!, E[1]! + v[2]! * B[0]! - v[0]! * B[2]!, E[2]! + v[0]! * B[1]! - v[1]! * B[0]!];
    return { nodes: 1, inputs: { x: [1, ...v] }, targets: { a } };
  });
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
  mkdirSync(dir, { recursive: true });
  writeDataset(dir, "square_to_rectangle.json", [squareToRectangle()]);
  writeDataset(dir, "methane_stretch.json", [methaneStretch()]);
  writeDataset(dir, "perovskite_011.json", [perovskite011()]);
  writeDataset(dir, "perovskite_z.json", [perovskiteZ()]);
  writeDataset(dir, "tilted_particle.json", tiltedParticle(32, 1));
}
