/** Reads a dataset file for a model, by its extension: extended XYZ (.xyz, .extxyz) or JSON (anything else). */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { GraphInput } from "../../runtime/graph/batching.js";
import type { ModelIR } from "../ir/types.js";
import { DatasetError, type DatasetOptions } from "./dataset.js";
import { datasetFromText } from "./from-text.js";

export function readDataset(path: string, ir: ModelIR, options: DatasetOptions = {}): GraphInput[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new DatasetError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  return datasetFromText(text, basename(path), ir, options);
}
