/**
 * The search of `regnnc discover` over candidate kept groups, apart from any GPU: which candidates to decide
 * and in which order, given three ways to decide one (an `Oracle`):
 *   - bound:   a lower bound on the loss of every model that keeps the group (the data's distance from its
 *              own symmetrisation; input-symmetry mode only). Above the threshold: cannot fit, proven.
 *   - witness: the loss of the trained fully relaxed model with its θ projected onto the group's invariant
 *              subspace (nothing retrained). At or below the threshold: fits, proven by example.
 *   - train:   the spec relaxed to the group, trained with the spec's own training block from the same
 *              initial weights; fits iff its final loss is at or below the threshold.
 * Fitting is monotone: a group inside one that fits fits too (a model that keeps the larger group also keeps
 * the smaller one), and a group containing one that cannot fit cannot fit. So a candidate inside a group that fits is pruned, and one containing a group that
 * cannot fit is decided with it, without training.
 */
import type { PointGroup } from "../o3/point-groups.js";
import { isSubgroup } from "./group-order.js";

export interface Candidate {
  name: string;
  axis: number[] | null;
  secondary: number[] | null;
  group: PointGroup;
  order: number;
}

export type DecidedBy = "bound" | "witness" | "trained" | "implied";

export interface Decision {
  candidate: Candidate;
  fits: boolean;
  /** The loss that decided: the lower bound, the witness's loss, the final training loss; null when implied. */
  loss: number | null;
  by: DecidedBy;
  /** For `implied`: the candidate whose verdict carries over. */
  via?: Candidate;
}

export interface Oracle {
  bound?(c: Candidate): number | null;
  witness?(c: Candidate): Promise<number | null>;
  train(c: Candidate): Promise<number>;
}

export interface SearchResult {
  /** The largest candidate that fits, or null when none does (the answer is then the trivial group). */
  best: Candidate | null;
  /** Other candidates of the same order as `best` that fit too (the data then keeps more than either). */
  ties: Candidate[];
  decisions: Decision[];
}

/**
 * Decides candidates until the largest that fits is known. `order` "descending" suits candidates the bound
 * and witness decide cheaply (input-symmetry mode: the first group that fits ends the search); "ascending"
 * suits candidates only training decides (a failure rules out every group above it).
 */
export async function searchLargestFitting(
  candidates: readonly Candidate[],
  threshold: number,
  oracle: Oracle,
  options: { order?: "descending" | "ascending"; onDecision?: (d: Decision, index: number, total: number) => void } = {},
): Promise<SearchResult> {
  const order = options.order ?? "descending";
  const queue = [...candidates].sort((a, b) => (order === "descending" ? b.order - a.order : a.order - b.order));
  const decisions: Decision[] = [];
  const fitting: Candidate[] = [], failing: Candidate[] = [];
  let best: Candidate | null = null;
  const ties: Candidate[] = [];
  for (const [index, c] of queue.entries()) {
    if (order === "descending" && best && c.order < best.order) break;
    if (fitting.some((f) => isSubgroup(c.group, f.group))) continue; // fits, but a larger group that fits is known
    const worse = failing.find((f) => isSubgroup(f.group, c.group));
    let d: Decision;
    if (worse) d = { candidate: c, fits: false, loss: null, by: "implied", via: worse };
    else d = await decide(c, threshold, oracle);
    decisions.push(d);
    options.onDecision?.(d, index, queue.length);
    if (!d.fits) {
      if (d.by !== "implied") failing.push(c);
      continue;
    }
    fitting.push(c);
    if (!best || c.order > best.order) {
      best = c;
      ties.length = 0;
    } else if (c.order === best.order) ties.push(c);
  }
  return { best, ties, decisions };
}

async function decide(c: Candidate, threshold: number, oracle: Oracle): Promise<Decision> {
  const bound = oracle.bound?.(c) ?? null;
  if (bound !== null && bound > threshold) return { candidate: c, fits: false, loss: bound, by: "bound" };
  const witness = (await oracle.witness?.(c)) ?? null;
  if (witness !== null && witness <= threshold) return { candidate: c, fits: true, loss: witness, by: "witness" };
  const loss = await oracle.train(c);
  return { candidate: c, fits: loss <= threshold, loss, by: "trained" };
}
