/** `regnnc predict` and `regnnc eval`: commands that run a spec's model with saved weights on a dataset. */
import type { Command } from "commander";
import { basename, dirname, extname, resolve } from "node:path";
import type { ModelIR } from "../ir/types.js";
import { writeOutputsAtomically } from "./atomic-output.js";
import { evaluate, formatEvaluation, predict, predictionsJson, predictionsXyz } from "./predict.js";

interface IO {
  out: (text: string) => void;
  err: (text: string) => void;
}

export function addRunCommands(program: Command, io: IO, loadSpec: (path: string) => ModelIR | undefined): void {
  const fail = (e: unknown) => {
    io.err(`regnnc: ${(e as Error).message}\n`);
    process.exitCode = 1;
  };
  const log = (quiet?: boolean) => (quiet ? () => {} : (line: string) => io.err(`${line}\n`));

  program
    .command("predict")
    .description("run a spec's model with saved weights on a dataset (targets not needed) and write each graph's outputs")
    .argument("<spec>", "the .regnn file the weights were trained from")
    .requiredOption("--weights <file>", "weights (<Model>.safetensors) or a checkpoint, checked to be this model's")
    .requiredOption("--data <file>", "the graphs (JSON regnn-dataset-1, or extended XYZ: .xyz / .extxyz)")
    .option("-o, --out <file>", "write the predictions here (.json, or .xyz / .extxyz for per-node and per-graph outputs) instead of printing JSON")
    .option("--quiet", "no messages or progress while the kernels compile")
    .action(async (spec: string, opts: { weights: string; data: string; out?: string; quiet?: boolean }) => {
      const ir = loadSpec(spec);
      if (!ir) return void (process.exitCode = 1);
      try {
        const xyz = opts.out !== undefined && /\.(ext)?xyz$/i.test(opts.out);
        if (opts.out !== undefined && !xyz && extname(opts.out).toLowerCase() !== ".json") throw new Error(`${opts.out}: the output must end in .json, .xyz or .extxyz`);
        const predictions = await predict(ir, opts, log(opts.quiet));
        const text = xyz ? predictionsXyz(ir, predictions, opts.out!) : predictionsJson(ir, opts, predictions);
        if (opts.out === undefined) io.out(text);
        else for (const path of writeOutputsAtomically(dirname(resolve(opts.out)), new Map([[basename(opts.out), text]]))) io.err(`wrote ${path}\n`);
        process.exitCode = 0;
      } catch (e) {
        fail(e);
      }
    });

  program
    .command("eval")
    .description("evaluate saved weights on a dataset with targets: the spec's loss, and per target the mean squared and mean absolute error")
    .argument("<spec>", "the .regnn file the weights were trained from")
    .requiredOption("--weights <file>", "weights (<Model>.safetensors) or a checkpoint, checked to be this model's")
    .requiredOption("--data <file>", "graphs with targets (JSON regnn-dataset-1, or extended XYZ)")
    .option("--json", "print the result as JSON")
    .option("--quiet", "no messages or progress while the kernels compile")
    .action(async (spec: string, opts: { weights: string; data: string; json?: boolean; quiet?: boolean }) => {
      const ir = loadSpec(spec);
      if (!ir) return void (process.exitCode = 1);
      try {
        const result = await evaluate(ir, opts, log(opts.quiet));
        io.out(opts.json ? `${JSON.stringify({ model: ir.model, weights: basename(opts.weights), data: basename(opts.data), ...result }, null, 2)}\n` : `${formatEvaluation(result, opts.data)}\n`);
        process.exitCode = 0;
      } catch (e) {
        fail(e);
      }
    });
}
