/** Reads a dataset file for a model, by its extension: extended XYZ (.xyz, .extxyz) or JSON (anything else). */
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import type { GraphInput } from "../../runtime/graph/batching.js";
import type { ModelIR } from "../ir/types.js";
import { DatasetError, datasetGraphs, parseDataset, type DatasetOptions } from "./dataset.js";
import { extxyzDataset } from "./extxyz.js";

export function readDataset(path: string, ir: ModelIR, options: DatasetOptions = {}): GraphInput[] {
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch (e) {
    throw new DatasetError(`${path}: cannot read (${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
  }
  const file = basename(path);
  if (/\.(ext)?xyz$/i.test(path)) return datasetGraphs(extxyzDataset(text, file, ir), file, ir, options);
  return parseDataset(text, file, ir, options);
}
