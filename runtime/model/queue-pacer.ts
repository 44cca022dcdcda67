/**
 * Waiting for a CPU adapter's queue without taking a core from it. Dawn in Node resolves a queue wait
 * (mapAsync) by polling on the JS thread; on lavapipe that polling competes with the driver's own threads for
 * the machine's cores. Measured on the 2-core CI machine: one 1.37 s dispatch finished in 0.91 s when the JS
 * thread slept instead of waiting (`npm run bench -- --no-pace` shows the difference on whole passes).
 *
 * So before a wait the executor sleeps through most of the shortest time the same work (the same passes
 * since the last wait, on a batch of about the same size: workKey) took in its last few runs, then waits for the rest. The
 * shortest, not the last: one slow run (the machine busy elsewhere) must not make the next ones oversleep;
 * and never a key's first run, which includes what the driver defers to first use (lavapipe compiles a
 * pipeline when it first runs: seconds, cold).
 * When the work gets faster, the oversleeping run measures only its sleep, so the estimate falls by
 * 1 - SLEEP_FRACTION per run until it is below the true time again. Results never change: only when the JS
 * thread looks.
 */

/** The share of the expected time slept before waiting. */
export const SLEEP_FRACTION = 0.9;

/** How many recent runs of the same work the estimate takes its minimum over. */
const RECENT = 5;

/** Keys kept before the estimates start over (each is a few numbers; training sees many batch sizes). */
const MAX_KEYS = 512;

/** Sleeps shorter than this are skipped (timers are coarser than that). */
const MIN_SLEEP_MS = 2;

const now = () => performance.now();
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class QueuePacer {
  /** Per key, its recent times; empty after the key's first run, which is never an estimate. */
  private readonly took = new Map<string, number[]>();

  constructor(readonly enabled: boolean) {}

  /** How long to sleep now, for work `key` submitted at `since` (0 when unknown or already due). */
  sleepFor(key: string, since: number, at = now()): number {
    const recent = this.took.get(key);
    if (!this.enabled || !recent?.length) return 0;
    const ms = SLEEP_FRACTION * Math.min(...recent) - (at - since);
    return ms >= MIN_SLEEP_MS ? ms : 0;
  }

  /** Waits for `done` (a queue wait), sleeping first through most of the time `key` took in recent runs. */
  async wait<T>(key: string, since: number, done: () => Promise<T>): Promise<T> {
    const ms = this.sleepFor(key, since);
    if (ms > 0) await sleep(ms);
    const result = await done();
    if (!this.enabled) return result;
    if (this.took.size > MAX_KEYS) this.took.clear();
    const recent = this.took.get(key);
    if (!recent) this.took.set(key, []);
    else {
      recent.push(now() - since);
      if (recent.length > RECENT) recent.shift();
    }
    return result;
  }
}

/** Whether waits should be paced: Dawn in Node on a software (CPU) adapter. */
export function pacesQueue(deviceClass: "cpu" | "gpu"): boolean {
  const node = typeof process !== "undefined" && typeof process.versions?.node === "string";
  return node && deviceClass === "cpu";
}

/**
 * The key of some passes on a batch: batches within ~9% of each other's nodes + edges share it (an eighth of
 * an octave), so training on batches of varying size still finds estimates, and a batch smaller than the
 * ones measured oversleeps by at most ~0.9 x 9%, i.e. not at all.
 */
export function workKey(passes: readonly string[], nodes: number, edges: number): string {
  return `${passes.join("+")}@${Math.round(8 * Math.log2(1 + nodes + edges))}`;
}
