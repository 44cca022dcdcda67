#!/usr/bin/env node
import { fileURLToPath } from "node:url";
import { adoptLauncher, isLaunchedChild, relaunchFiltered } from "./launcher.js";
import { buildProgram } from "./program.js";

// Commands that open the GPU run in a child whose stderr is filtered of Dawn's start-up noise (launcher.ts).
const GPU_COMMANDS = new Set(["train", "predict", "eval", "discover", "doctor"]);
const args = process.argv.slice(2);
const command = args.find((a) => !a.startsWith("-"));

if (command !== undefined && GPU_COMMANDS.has(command) && !isLaunchedChild() && !args.includes("--help") && !args.includes("-h")) {
  await relaunchFiltered(fileURLToPath(import.meta.url), args);
} else {
  adoptLauncher();
  await buildProgram()
    .parseAsync(process.argv)
    .catch((err: unknown) => {
      process.stderr.write(`regnnc: ${err instanceof Error ? err.message : String(err)}\n`);
      process.exitCode = 1;
    });
}
