/** Reads a dataset file for a model, by its extension: extended XYZ (.xyz, .extxyz) or JSON (anything else). */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { GraphInput } from "../../runtime/graph/batching.js";
import type { ModelIR } from "../ir/types.js";
import { DatasetError } from "./dataset.js";
import { datasetFromText } from "./from-text.js";

export function readDataset(path: string, ir: ModelIR, options: { withTargets?: boolean } = {}): GraphInput[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new DatasetError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  // The extension is read from the base name: the same test as the full path's, since a directory name cannot end the path.
  return datasetFromText(text, basename(path), ir, options);
}
