import { describe, expect, it } from "vitest";
import { noNodeBuiltins } from "./vite.config.js";

/** The plugin's resolveId, with a context whose error() throws as Rollup's does. */
function resolve(source: string): unknown {
  const hook = noNodeBuiltins().resolveId as (this: unknown, source: string, importer: string | undefined) => unknown;
  return hook.call({ error: (message: string) => { throw new Error(message); } }, source, "compiler/x.ts");
}

describe("the playground build's guard against Node built-ins", () => {
  it("fails on node: imports and on bare built-in names, naming the importer", () => {
    expect(() => resolve("node:fs")).toThrow(/compiler\/x\.ts imports Node's 'node:fs'/);
    expect(() => resolve("path")).toThrow(/'path'/);
    expect(() => resolve("crypto")).toThrow(/'crypto'/);
  });
  it("lets everything else through to the normal resolution", () => {
    expect(resolve("chevrotain")).toBeNull();
    expect(resolve("../grammar/index.js")).toBeNull();
    expect(resolve("@codemirror/view")).toBeNull();
  });
});
