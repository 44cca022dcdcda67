// Runs regnnc's command line in process, as a test sees it: what it printed to stdout and stderr, and its exit code.
import { buildProgram } from "../compiler/cli/program.js";

export async function runCli(args: string[]): Promise<{ out: string; err: string; code: number }> {
  let out = "", err = "";
  const program = buildProgram({ out: (s) => (out += s), err: (s) => (err += s) }).exitOverride();
  process.exitCode = undefined;
  let code = 0;
  try {
    await program.parseAsync(args, { from: "user" });
    code = Number(process.exitCode ?? 0);
  } catch (e) {
    code = (e as { exitCode?: number }).exitCode ?? 1;
  } finally {
    process.exitCode = undefined;
  }
  return { out, err, code };
}
