/**
 * The paper's experiments, built in: each spec of specs/ (read at build time, not copied) with the dataset
 * scripts/paper-datasets.ts makes for it (the same graphs `npm run data:paper` writes).
 */
import { chargedParticle, cubeToBox, cubeToCube, cubeToPrism, type Graph } from "../../scripts/paper-datasets.js";

const specs = import.meta.glob("../../specs/*.regnn", { query: "?raw", import: "default", eager: true }) as Record<string, string>;

export interface Example {
  name: string;
  title: string;
  spec: string;
  /** The dataset as docs/dataset.md's JSON, or undefined for a spec without training data. */
  data?: () => Graph[];
}

const DATA: Record<string, { title: string; data?: () => Graph[] }> = {
  cube_to_prism: { title: "cube → square prism (D4h)", data: () => [cubeToPrism()] },
  cube_to_box: { title: "cube → asymmetric box", data: () => [cubeToBox()] },
  cube_to_box_keep_d4h: { title: "cube → box, keeping D4h", data: () => [cubeToBox()] },
  cube_to_cube: { title: "cube → cube (nothing to break)", data: () => [cubeToCube()] },
  charged_particle: { title: "charged particle in E and B", data: () => chargedParticle(256, 1) },
  bench_conv: { title: "benchmark convolution (no training data)" },
};

export const EXAMPLES: Example[] = Object.entries(specs)
  .map(([path, spec]) => {
    const name = path.replace(/^.*\//, "").replace(/\.regnn$/, "");
    const known = DATA[name];
    return known?.data ? { name, title: known.title, spec, data: known.data } : { name, title: known?.title ?? name, spec };
  })
  .sort((a, b) => (a.name === "cube_to_prism" ? -1 : b.name === "cube_to_prism" ? 1 : a.name.localeCompare(b.name)));

export const datasetJson = (graphs: Graph[]) => JSON.stringify({ format: "regnn-dataset-1", graphs });
