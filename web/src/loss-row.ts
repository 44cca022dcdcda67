/** One epoch of the loss log, as `regnnc train`'s loss.csv has it. */
export interface LossRow {
  epoch: number;
  loss: number;
  regularization: number;
}

/** loss.csv in `regnnc train`'s format. */
export function lossCsv(rows: readonly LossRow[]): string {
  return `epoch,loss,regularization\n${rows.map((r) => `${r.epoch},${r.loss},${r.regularization}`).join("\n")}${rows.length ? "\n" : ""}`;
}
