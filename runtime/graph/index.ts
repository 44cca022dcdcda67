/** Graphs for regnn: the batch contract, edge ordering and CSR, neighbour graphs from positions, batching. */
export type { GraphBatch } from "./batch.js";
export { buildCsr, sortEdgesByDestination, type Csr, type SortedEdges } from "./csr.js";
export { EdgeLimitError, fullGraph, knnGraph, radiusGraph, type EdgeList, type RadiusGraphOptions } from "./neighbors.js";
export {
  BatchInputError,
  batchGraphs,
  type BatchSpec,
  type ConnectivitySpec,
  type FieldDomain,
  type FieldSpec,
  type GraphInput,
} from "./batching.js";
