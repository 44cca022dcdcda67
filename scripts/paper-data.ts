/**
 * `npm run data:paper`: the datasets of the paper's experiments (docs/dataset.md format) in data/:
 * the cube deformed into itself, a square prism and an asymmetric box (one graph each), and the charged
 * particle in E = (1, 0, 0), B = (0, 1, 0) (a = E + v x B; 256 training and 64 held-out samples).
 */
import { mkdirSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { chargedParticle, cubeToBox, cubeToCube, cubeToPrism, type Graph } from "./paper-datasets.js";

export * from "./paper-datasets.js";

/** Writes a dataset file atomically (temporary name, then rename) and says so. */
export function writeDataset(dir: string, name: string, graphs: Graph[]): void {
  const path = join(dir, name);
  writeFileSync(`${path}.tmp`, `${JSON.stringify({ format: "regnn-dataset-1", graphs })}\n`);
  renameSync(`${path}.tmp`, path);
  console.log(`wrote ${path} (${graphs.length} graph${graphs.length === 1 ? "" : "s"})`);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const dir = join(dirname(fileURLToPath(import.meta.url)), "..", "..", "data");
  mkdirSync(dir, { recursive: true });
  writeDataset(dir, "cube_to_cube.json", [cubeToCube()]);
  writeDataset(dir, "cube_to_prism.json", [cubeToPrism()]);
  writeDataset(dir, "cube_to_box.json", [cubeToBox()]);
  writeDataset(dir, "charged_particle.json", chargedParticle(256, 1));
  writeDataset(dir, "charged_particle_test.json", chargedParticle(64, 2));
}
