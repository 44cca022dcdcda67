/**
 * What the user sees while a model's kernels compile: with a cold shader cache that is tens of seconds
 * before anything else happens. A bar on a terminal, otherwise one line before and one after.
 */
import cliProgress from "cli-progress";
import type { PipelineProgress } from "../../runtime/pipelines.js";

/** Announces the compile of `count` kernels now; pass `onProgress` to the model and call `finish` after. */
export function kernelProgress(model: string, count: number, log: (line: string) => void, quiet = false): { onProgress: (progress: PipelineProgress) => void; finish: () => void } {
  const started = performance.now();
  log(`compiling ${count} kernels of ${model} (slowest on the first run: the driver caches them)`);
  const bar = quiet || !process.stderr.isTTY ? undefined : new cliProgress.SingleBar({ format: "  {bar} {value}/{total} kernels", stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  bar?.start(count, 0);
  return {
    onProgress: ({ done }) => bar?.update(done),
    finish() {
      bar?.stop();
      log(`compiled ${count} kernels in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    },
  };
}
