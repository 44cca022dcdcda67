/**
 * Keeping Dawn's start-up noise out of the user's output. Dawn (npm `webgpu`) prints two lines to the
 * process's stderr from native code whenever it enumerates a lavapipe adapter ("Warning:
 * maxDynamic…BuffersPerPipelineLayout artificially reduced from 1000000 to 16 …"); it offers no option or
 * callback for them, and Node cannot redirect its own file descriptor 2. So commands that open the GPU run
 * in a child process whose stderr comes through a pipe, and exactly those two lines are dropped from it;
 * everything else (errors, progress bars, partial lines) passes through as it arrives.
 *
 * The child must never outlive the launcher: it exits when the IPC channel closes, and before writing a
 * training file it checks that its parent is still the launcher (`exitIfOrphaned`), so a launcher killed
 * with SIGKILL leaves no run behind that keeps writing.
 */
import { spawn } from "node:child_process";

export const DAWN_NOISE = /^Warning: maxDynamic(?:Uniform|Storage)BuffersPerPipelineLayout artificially reduced from \d+ to \d+ to fit dynamic offset allocation limit\.\r?$/;
const NOISE_PREFIX = "Warning: maxDynamic";
const LAUNCHER_ENV = "REGNN_LAUNCHER_PID";
const TTY_ENV = "REGNN_STDERR_COLUMNS";

/** A line filter over a text stream: drops DAWN_NOISE lines, holds back only a tail that may become one. */
export function noiseFilter(write: (text: string) => void): { push: (chunk: string) => void; end: () => void } {
  let held = "";
  return {
    push(chunk) {
      const text = held + chunk;
      const lines = text.split("\n");
      const tail = lines.pop()!;
      const out = lines.filter((l) => !DAWN_NOISE.test(l)).map((l) => `${l}\n`).join("");
      const maybeNoise = NOISE_PREFIX.startsWith(tail) || tail.startsWith(NOISE_PREFIX);
      held = maybeNoise ? tail : "";
      const rest = maybeNoise ? "" : tail;
      if (out || rest) write(out + rest);
    },
    end() {
      if (held && !DAWN_NOISE.test(held)) write(held);
      held = "";
    },
  };
}

/** True in the child that a launcher started. */
export function isLaunchedChild(): boolean {
  return process.env[LAUNCHER_ENV] !== undefined;
}

/** The launcher's pid when this process is its child. */
export function launcherPid(): number | undefined {
  const v = process.env[LAUNCHER_ENV];
  return v === undefined ? undefined : Number(v);
}

/** In a launched child whose launcher is gone (killed), exits at once: nobody awaits its output any more. */
export function exitIfOrphaned(): void {
  const pid = launcherPid();
  if (pid !== undefined && process.ppid !== pid) process.exit(1);
}

/** Set up a launched child: exit with the launcher, and draw progress bars as on the launcher's terminal. */
export function adoptLauncher(): void {
  if (!isLaunchedChild()) return;
  process.channel?.unref();
  process.on("disconnect", () => process.exit(1));
  const columns = Number(process.env[TTY_ENV]);
  if (columns > 0) Object.assign(process.stderr, { isTTY: true, columns });
  exitIfOrphaned();
}

/** Runs this command again in a child with filtered stderr; resolves when the child has ended, mirroring its exit. */
export function relaunchFiltered(script: string, args: readonly string[]): Promise<void> {
  const env: NodeJS.ProcessEnv = { ...process.env, [LAUNCHER_ENV]: String(process.pid) };
  if (process.stderr.isTTY) env[TTY_ENV] = String(process.stderr.columns || 80);
  const child = spawn(process.execPath, [...process.execArgv, script, ...args], { stdio: ["inherit", "inherit", "pipe", "ipc"], env });
  const filter = noiseFilter((text) => process.stderr.write(text));
  child.stderr!.setEncoding("utf8");
  child.stderr!.on("data", (chunk: string) => filter.push(chunk));
  const forward = (signal: NodeJS.Signals) => () => child.kill(signal);
  const signals: NodeJS.Signals[] = ["SIGINT", "SIGTERM", "SIGHUP"];
  const handlers = signals.map((s) => [s, forward(s)] as const);
  for (const [s, h] of handlers) process.on(s, h);
  return new Promise((resolve) => {
    child.on("close", (code, signal) => {
      filter.end();
      for (const [s, h] of handlers) process.off(s, h);
      if (signal) process.kill(process.pid, signal);
      process.exitCode = code ?? 1;
      resolve();
    });
  });
}
