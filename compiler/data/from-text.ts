/** A dataset from its text, by the file name's extension: extended XYZ (.xyz, .extxyz) or JSON (anything else). No Node, so the web app uses it too. */
import type { GraphInput } from "../../runtime/graph/batching.js";
import type { ModelIR } from "../ir/types.js";
import { datasetGraphs, parseDataset, type DatasetOptions } from "./dataset.js";
import { extxyzDataset } from "./extxyz.js";

export function datasetFromText(text: string, file: string, ir: ModelIR, options: DatasetOptions = {}): GraphInput[] {
  if (/\.(ext)?xyz$/i.test(file)) return datasetGraphs(extxyzDataset(text, file, ir), file, ir, options);
  return parseDataset(text, file, ir, options);
}
