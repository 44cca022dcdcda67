/**
 * The `regnnc` command line: check and compile .regnn specs, and check the WebGPU device. Training and
 * inspection arrive with the codegen and training work.
 */
import { Command, Option } from "commander";
import { readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDiagnostics, type Diagnostic } from "../../grammar/diagnostic.js";
import { decodeSpec } from "../../grammar/source-text.js";
import { planModel } from "../codegen/plan.js";
import { kernelFiles } from "../codegen/kernel-files.js";
import { className, emitModelModule, moduleToJavaScript } from "../codegen/typescript.js";
import { emitPyTorchModule, pytorchClassName } from "../codegen/pytorch/emit.js";
import { compileSource } from "../compile.js";
import type { ModelIR } from "../ir/types.js";
import { wholeNumber, numberBetween } from "./arguments.js";
import { writeOutputsAtomically } from "./atomic-output.js";
import { formatInspection, inspectionJson, inspectWeights } from "./inspect.js";
import { addRunCommands } from "./run-commands.js";
import { thetaPicturePng } from "./theta-picture-png.js";
import { train } from "./train.js";
import { readDataset } from "../data/read.js";
import { inputGroupForReadout } from "../discover/input-symmetry.js";
import { keptOnInput } from "../discover/kept-on-input.js";

export interface CliIO {
  out: (text: string) => void;
  err: (text: string) => void;
}

const processIO: CliIO = { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) };

function packageVersion(): string {
  // dist/compiler/cli/program.js and compiler/cli/program.ts both sit below package.json.
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let up = 0; up < 4; up++, dir = dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as { name?: string; version?: string };
      if (pkg.name === "regnn" && pkg.version) return pkg.version;
    } catch {
      // not here; look one level up
    }
  }
  return "unknown";
}

/** A file's bytes, or undefined after telling the user why it cannot be read. */
function readInput(path: string, io: CliIO): Uint8Array | undefined {
  try {
    return readFileSync(path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === "ENOENT" ? "no such file" : code === "EISDIR" ? "it is a directory" : code === "EACCES" ? "permission denied" : String((e as Error).message);
    io.err(`regnnc: cannot read ${path}: ${why}\n`);
    return undefined;
  }
}

function readSpec(path: string, io: CliIO): string | undefined {
  const bytes = readInput(path, io);
  if (bytes === undefined) return undefined;
  const { text, diagnostic } = decodeSpec(bytes);
  if (!diagnostic) return text;
  report(path, text, [diagnostic], io);
  return undefined;
}

/** Reads and compiles a spec, printing its diagnostics. `ir` is undefined when it cannot be read or has errors. */
function loadSpec(path: string, io: CliIO): { ir: ModelIR | undefined; errors: number; readable: boolean } {
  const text = readSpec(path, io);
  if (text === undefined) return { ir: undefined, errors: 0, readable: false };
  const { ir, diagnostics } = compileSource(text, basename(path));
  const { errors } = report(path, text, diagnostics, io);
  return { ir: errors ? undefined : ir, errors, readable: true };
}

function report(path: string, text: string, diagnostics: readonly Diagnostic[], io: CliIO): { errors: number; warnings: number } {
  io.err(formatDiagnostics(diagnostics, path, text));
  const errors = diagnostics.filter((d) => d.severity === "error").length;
  return { errors, warnings: diagnostics.length - errors };
}

/** inspect --data: the dataset's common input group, or null after saying why there is none. */
function inspectInput(ir: ModelIR, path: string, io: CliIO) {
  const input = inputGroupForReadout(ir, readDataset(path, ir, { withTargets: false }));
  if (!input) io.err(`regnnc: warning: ${path}: the graphs' inputs share no point group; printing Stab(θ) alone\n`);
  return input;
}

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? "" : "s"}`;

export function buildProgram(io: CliIO = processIO): Command {
  const program = new Command("regnnc")
    .description(
      "Compiler for relaxed E(3)-equivariant graph neural networks: turns a .regnn spec into WGSL kernels and a\n" +
        "TypeScript module that runs the model (forward and gradients) on WebGPU.",
    )
    .version(packageVersion(), "-V, --version", "print the regnnc version")
    .helpOption("-h, --help", "show help for regnnc or a command")
    .showHelpAfterError("(run 'regnnc --help' for usage)")
    .configureOutput({ writeOut: io.out, writeErr: io.err });

  program
    .command("check")
    .description("check specs and report every error (file:line:col error CODE: message, with the source line)")
    .argument("<spec...>", ".regnn files to check")
    .action((specs: string[]) => {
      let failed = false;
      for (const path of specs) {
        const text = readSpec(path, io);
        if (text === undefined) {
          failed = true;
          continue;
        }
        const { diagnostics } = compileSource(text, basename(path));
        const { errors, warnings } = report(path, text, diagnostics, io);
        if (errors) failed = true;
        io.err(`${path}: ${errors ? plural(errors, "error") : "ok"}${warnings ? `, ${plural(warnings, "warning")}` : ""}\n`);
      }
      process.exitCode = failed ? 1 : 0;
    });

  program
    .command("compile")
    .description("compile a spec; outputs are written all-or-nothing into the output directory")
    .argument("<spec>", "the .regnn file to compile")
    .requiredOption("-o, --out <dir>", "output directory (created if missing)")
    .addOption(
      new Option("--emit <kind>", "what to write: ir (<Model>.ir.json), ts (<Model>.ts, the model module), js (<Model>.js, the same module as plain JavaScript for Node or a browser), wgsl (wgsl/*.wgsl, every kernel), all (those four), or pytorch (<Model>.py, the model as a torch.nn.Module and a torchrun training program, docs/pytorch.md)")
        .choices(["ir", "ts", "js", "wgsl", "all", "pytorch"])
        .default("all"),
    )
    .option("--runtime-import <specifier>", "module the generated TypeScript imports the runtime from", "regnn/runtime")
    .action((spec: string, opts: { out: string; emit: string; runtimeImport: string }) => {
      const { ir, errors, readable } = loadSpec(spec, io);
      if (!ir) {
        if (readable) io.err(`${spec}: ${plural(errors, "error")}; nothing written\n`);
        process.exitCode = 1;
        return;
      }
      const files = new Map<string, string>();
      const emit = (kind: string) => opts.emit === kind || opts.emit === "all";
      if (emit("ir")) files.set(`${ir.model}.ir.json`, `${JSON.stringify(ir, null, 2)}\n`);
      if (emit("ts") || emit("js") || emit("wgsl")) {
        const plan = planModel(ir);
        const module = emitModelModule(plan, { runtimeImport: opts.runtimeImport, specFile: basename(spec), compilerVersion: packageVersion(), ir });
        if (emit("ts")) files.set(`${className(ir.model)}.ts`, module);
        if (emit("js")) files.set(`${className(ir.model)}.js`, moduleToJavaScript(module));
        if (emit("wgsl")) {
          for (const [path, text] of kernelFiles(plan)) files.set(path, text);
        }
      }
      if (opts.emit === "pytorch") files.set(`${pytorchClassName(ir)}.py`, emitPyTorchModule(ir, { compilerVersion: packageVersion() }));
      try {
        for (const path of writeOutputsAtomically(opts.out, files)) io.out(`wrote ${path}\n`);
      } catch (e) {
        io.err(`regnnc: ${(e as Error).message}\n`);
        process.exitCode = 1;
        return;
      }
      process.exitCode = 0;
    });

  program
    .command("train")
    .description("train a spec on the WebGPU device on a dataset (JSON or extended XYZ, docs/dataset.md); writes weights, loss log and picture, and checkpoints")
    .argument("<spec>", "the .regnn file to train")
    .requiredOption("--data <file>", "the dataset (JSON regnn-dataset-1, or extended XYZ: .xyz / .extxyz)")
    .option("--test <file>", "held-out graphs (same format): report their mean squared error after training")
    .option("--out <dir>", "where the weights, loss.csv, loss.png and the checkpoint go", "out/train")
    .option("--epochs <n>", "epochs (default: the spec's)", wholeNumber(1))
    .option("--seed <s>", "seed of the initialisation and the batch order (default: the spec's)", wholeNumber(0))
    .option("--resume", "continue from <out>/checkpoint.safetensors, exactly as the uninterrupted run would have; the checkpoint's digests, model and data are verified")
    .option("--force", "with --resume: continue although --data differs from the data the checkpoint was trained on")
    .option("--checkpoint-every <k>", "epochs between checkpoints (default: the spec's checkpoint_every); a killed run loses at most this many", wholeNumber(1))
    .option("--stop-after <epoch>", "stop with a checkpoint once this many epochs are done (the schedule stays the whole run's); --resume continues", wholeNumber(1))
    .option("--quiet", "no progress bar")
    .action(async (spec: string, opts: { data: string; test?: string; out: string; epochs?: number; seed?: number; resume?: boolean; force?: boolean; checkpointEvery?: number; stopAfter?: number; quiet?: boolean }) => {
      const { ir } = loadSpec(spec, io);
      if (!ir) {
        process.exitCode = 1;
        return;
      }
      if (opts.force && !opts.resume) {
        io.err("regnnc: --force only applies with --resume (it accepts data other than the checkpoint's)\n");
        process.exitCode = 1;
        return;
      }
      try {
        await train(ir, opts, (line) => io.out(`${line}\n`));
        process.exitCode = 0;
      } catch (e) {
        io.err(`regnnc: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command("discover")
    .description("find the largest symmetry group the data keeps: train the spec relaxed to each candidate subgroup of the input's point group (largest first), print the answer and the candidates, write the winning weights")
    .argument("<spec>", "a relaxed .regnn spec (its relax clause gives θ's lmax and mul; discover chooses the group)")
    .requiredOption("--data <file>", "the dataset (JSON regnn-dataset-1, or extended XYZ)")
    .option("--out <dir>", "where the winning model's weights go", "out/discover")
    .option("--json", "print one JSON object: group, axis, secondary, input_group, candidates, weights")
    .option("--tolerance <t>", "tolerance of the input's and the data's symmetry, in units of the positions and features (default 1e-3)", (v) => Number(v))
    .action(async (spec: string, opts: { data: string; out: string; json?: boolean; tolerance?: number }) => {
      const { ir } = loadSpec(spec, io);
      if (!ir) {
        process.exitCode = 1;
        return;
      }
      if (opts.tolerance !== undefined && !(opts.tolerance > 0 && opts.tolerance < 1)) {
        io.err(`regnnc: --tolerance must be a number between 0 and 1, got ${String(opts.tolerance)}\n`);
        process.exitCode = 1;
        return;
      }
      try {
        const { discover, discoverJsonText } = await import("./discover.js");
        const r = await discover(readSpec(spec, io)!, basename(spec), opts, (line) => io.err(`${line}\n`));
        io.out(opts.json ? discoverJsonText(r) : `${r.text}\n`);
        process.exitCode = 0;
      } catch (e) {
        io.err(`regnnc: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  program
    .command("inspect")
    .description("report the symmetry each relaxed layer's θ learned: the point group it keeps, its axes, |θ| per irrep")
    .argument("<weights>", "trained weights (.safetensors, as a compiled model's save() writes them)")
    .requiredOption("--spec <spec>", "the .regnn spec the weights were trained from")
    .option("--tolerance <t>", "relative tolerance of the symmetry test (default 1e-2)", numberBetween(0, 1))
    .option("--json", "print the report as JSON, with θ's values per irrep")
    .option("--picture <file.png>", "also draw each relaxed layer's θ on the sphere (one PNG per layer: <file>-<layer>.png)")
    .option("--data <file>", "a dataset whose graphs share one input point group: also print what each layer keeps on it (Stab(θ) ∩ the input's group)")
    .action((weights: string, opts: { spec: string; tolerance?: number; json?: boolean; picture?: string; data?: string }) => {
      const { ir } = loadSpec(opts.spec, io);
      if (!ir) {
        process.exitCode = 1;
        return;
      }
      const bytes = readInput(weights, io);
      if (bytes === undefined) {
        process.exitCode = 1;
        return;
      }
      try {
        const { layers, warnings } = inspectWeights(ir, bytes, weights, opts.tolerance === undefined ? {} : { tolerance: opts.tolerance });
        for (const w of warnings) io.err(`regnnc: warning: ${w}\n`);
        const input = opts.data ? inspectInput(ir, opts.data, io) : null;
        const onInput = (d: (typeof layers)[number]["detected"]) => (input ? { kept_on_input: (({ name, axis, secondary }) => ({ group: name, axis, secondary }))(keptOnInput(d, input).onInput!) } : {});
        io.out(opts.json ? `${JSON.stringify(inspectionJson(layers).map((entry, i) => ({ ...entry, ...onInput(layers[i]!.detected) })), null, 2)}\n` : `${formatInspection(layers, input)}\n`);
        if (opts.picture) {
          const files = new Map(layers.map((l) => [`${basename(opts.picture!).replace(/\.png$/i, "")}-${l.layer}.png`, thetaPicturePng(`layer ${l.layer}`, l.theta, l.irreps, l.detected)] as const));
          for (const path of writeOutputsAtomically(dirname(resolve(opts.picture)), files)) io.err(`wrote ${path}\n`);
        }
        process.exitCode = 0;
      } catch (e) {
        io.err(`regnnc: ${(e as Error).message}\n`);
        process.exitCode = 1;
      }
    });

  addRunCommands(program, io, (path) => loadSpec(path, io).ir);

  program
    .command("doctor")
    .description("create the WebGPU device, run one WGSL kernel on it and check the numbers")
    .action(async () => {
      const { deviceSmokeCheck } = await import("../../runtime/smoke.js");
      const ok = await deviceSmokeCheck((line) => io.out(`${line}\n`));
      process.exitCode = ok ? 0 : 1;
    });

  program.addHelpText("after", "\nExit status: 0 on success, 1 on errors in a spec, a missing file, a failed check or a diverged training run.");
  return program;
}
