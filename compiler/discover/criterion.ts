/**
 * When a candidate group "fits the data as well as the fully relaxed model": its loss is at most
 *
 *     FIT_FACTOR x (the fully relaxed model's final loss) + FIT_FLOOR x (its first epoch's loss).
 *
 * The factor absorbs the run-to-run spread of training (a restricted model starts from the same weights
 * but does not follow the same path); the floor, relative to the loss at the start (a random O(3)-equivariant
 * model, θ starts scalar), says when a fit is as good as exact whatever the relaxed model reached. Both are
 * the same for every spec and dataset: no tuning per case.
 */
export const FIT_FACTOR = 10;
export const FIT_FLOOR = 1e-5;

export function fitThreshold(reference: { first: number; last: number }): number {
  return FIT_FACTOR * reference.last + FIT_FLOOR * reference.first;
}
