/** The `hyper` buffers of the optimiser kernels (compiler/codegen/wgsl/optimizer.ts), built on the host. */

/** SGD: [lr, momentum]. */
export function sgdHyper(h: { lr: number; momentum: number }): Float32Array<ArrayBuffer> {
  return Float32Array.of(h.lr, h.momentum);
}

/** Adam at step t (1 for the first step): [lr, beta1, beta2, eps, 1 - beta1^t, 1 - beta2^t], the corrections in float64. */
export function adamHyper(h: { lr: number; beta1: number; beta2: number; eps: number }, t: number): Float32Array<ArrayBuffer> {
  if (!Number.isInteger(t) || t < 1) throw new Error(`adam: the step count t must be an integer >= 1, got ${t}`);
  return Float32Array.of(h.lr, h.beta1, h.beta2, h.eps, 1 - h.beta1 ** t, 1 - h.beta2 ** t);
}

/** The learning rate of a schedule at epoch `epoch` of `epochs` (constant, step decay, cosine to minLr). */
export function scheduledLr(
  lr: number,
  schedule: { kind: "constant" } | { kind: "step"; every: number; gamma: number } | { kind: "cosine"; minLr: number },
  epoch: number,
  epochs: number,
): number {
  if (schedule.kind === "step") return lr * schedule.gamma ** Math.floor(epoch / schedule.every);
  if (schedule.kind === "cosine") return schedule.minLr + 0.5 * (lr - schedule.minLr) * (1 + Math.cos((Math.PI * epoch) / Math.max(1, epochs)));
  return lr;
}
