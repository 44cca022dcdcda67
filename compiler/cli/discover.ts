/**
 * `regnnc discover <spec> --data <file>`: the largest group H the data keeps, found by models. The search
 * itself is compiler/discover/run.ts (it runs in the browser playground too); this is its Node side: the
 * dataset read from a file, the device opened and closed here, a progress bar on a terminal, and the
 * winning model's weights (in the layout of the spec relaxed to C1) written atomically to --out.
 */
import cliProgress from "cli-progress";
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { createDevice, type GpuContext } from "../../runtime/index.js";
import { className } from "../codegen/typescript.js";
import { readDataset } from "../data/read.js";
import { runDiscover, type DiscoverResult } from "../discover/run.js";
import { writeAtomically } from "./checkpoint.js";

export type { DiscoverCandidateJson, DiscoverJson, DiscoverResult } from "../discover/run.js";

export interface DiscoverOptions {
  data: string;
  out: string;
  json?: boolean;
  /** Tolerance of the input's and the data's symmetry (units of the positions and feature values). */
  tolerance?: number;
  quiet?: boolean;
}

export async function discover(specText: string, specFile: string, options: DiscoverOptions, note: (line: string) => void): Promise<DiscoverResult> {
  let gpu: GpuContext | undefined;
  const bar = options.quiet || !process.stderr.isTTY ? undefined : new cliProgress.SingleBar({ format: "  {what} {bar} {value}/{total} epochs | loss {loss}", stream: process.stderr, clearOnComplete: true }, cliProgress.Presets.shades_classic);
  try {
    return await runDiscover(
      specText,
      specFile,
      {
        graphs: (ir) => readDataset(options.data, ir),
        dataName: options.data,
        device: async () => (gpu = await createDevice()),
        ...(options.tolerance !== undefined ? { tolerance: options.tolerance } : {}),
        progress: {
          trainingStart: (what, epochs) => bar?.start(epochs, 0, { what, loss: "-" }),
          epoch: (epoch, loss) => bar?.update(epoch, { loss: loss.toExponential(3) }),
          trainingEnd: () => bar?.stop(),
        },
        save: ({ model, weights, relaxedSpec }) => {
          mkdirSync(options.out, { recursive: true });
          const weightsPath = join(options.out, `${className(model)}.safetensors`);
          writeAtomically(weightsPath, weights);
          const written = [weightsPath];
          if (relaxedSpec !== null) {
            const specPath = join(options.out, `${className(model)}.relaxed.regnn`);
            writeAtomically(specPath, relaxedSpec);
            written.push(specPath);
          }
          return { weights: weightsPath, written };
        },
      },
      note,
    );
  } finally {
    bar?.stop();
    gpu?.destroy();
  }
}

/** The JSON object of --json (exactly the keys). */
export function discoverJsonText(r: DiscoverResult): string {
  return `${JSON.stringify(r.json, null, 2)}\n`;
}
