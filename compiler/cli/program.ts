/**
 * The `regnnc` command line. Subcommands (check, compile, train, inspect) arrive with the language, codegen
 * and training work; today it documents itself and checks the WebGPU device.
 */
import { Command } from "commander";
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

function packageVersion(): string {
  // dist/compiler/cli/regnnc.js and compiler/cli/regnnc.ts both sit three levels below package.json.
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

export function buildProgram(): Command {
  const program = new Command("regnnc")
    .description(
      "Compiler for relaxed E(3)-equivariant graph neural networks: turns a .regnn spec into WGSL kernels\n" +
        "and a TypeScript module that trains and runs the model on WebGPU.",
    )
    .version(packageVersion(), "-V, --version", "print the regnnc version")
    .helpOption("-h, --help", "show help for regnnc or a command")
    .showHelpAfterError("(run 'regnnc --help' for usage)");

  program
    .command("doctor")
    .description("create the WebGPU device, run one WGSL kernel on it and check the numbers")
    .action(async () => {
      const { deviceSmokeCheck } = await import("../../runtime/smoke.js");
      const ok = await deviceSmokeCheck((line) => process.stdout.write(`${line}\n`));
      process.exitCode = ok ? 0 : 1;
    });

  program.addHelpText(
    "after",
    "\nCommands still to come: check, compile, train, inspect (see the README's roadmap).",
  );
  return program;
}

