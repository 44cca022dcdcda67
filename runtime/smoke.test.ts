import { expect, it } from "vitest";
import { deviceSmokeCheck } from "./smoke.js";

it("deviceSmokeCheck passes on this machine's device and reports the adapter", async () => {
  const lines: string[] = [];
  const ok = await deviceSmokeCheck((line) => lines.push(line));
  expect(lines.join("\n")).toMatch(/^adapter: /m);
  expect(lines.at(-1)).toMatch(/^OK: /);
  expect(ok).toBe(true);
});
