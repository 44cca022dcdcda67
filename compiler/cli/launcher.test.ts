import { describe, expect, it } from "vitest";
import { noiseFilter } from "./launcher.js";

const NOISE = [
  "Warning: maxDynamicUniformBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.",
  "Warning: maxDynamicStorageBuffersPerPipelineLayout artificially reduced from 1000000 to 16 to fit dynamic offset allocation limit.",
];

function filtered(chunks: string[]): { text: string; writes: string[] } {
  const writes: string[] = [];
  const f = noiseFilter((t) => writes.push(t));
  for (const c of chunks) f.push(c);
  f.end();
  return { text: writes.join(""), writes };
}

describe("Dawn's stderr noise filter", () => {
  it("drops exactly Dawn's two lines, however the stream is split, and keeps everything else", () => {
    const input = `${NOISE[0]}\n${NOISE[1]}\nregnnc: data.json: graphs[1]: no nodes\nWarning: maxDynamicUniformBuffersPerPipelineLayout is something else\n`;
    const want = "regnnc: data.json: graphs[1]: no nodes\nWarning: maxDynamicUniformBuffersPerPipelineLayout is something else\n";
    expect(filtered([input]).text).toBe(want);
    for (const size of [1, 3, 7, 50]) {
      const chunks = Array.from({ length: Math.ceil(input.length / size) }, (_, i) => input.slice(i * size, (i + 1) * size));
      expect(filtered(chunks).text, `chunks of ${size}`).toBe(want);
    }
  });

  it("passes a progress bar's partial lines through at once, not at the next newline", () => {
    const { writes } = filtered(["\r  ████░░░░ 4/10 kernels", "\r  ██████░░ 6/10 kernels"]);
    expect(writes).toEqual(["\r  ████░░░░ 4/10 kernels", "\r  ██████░░ 6/10 kernels"]);
  });

  it("keeps an unfinished last line that only began like Dawn's", () => {
    expect(filtered(["Warning: maxDynamicStor"]).text).toBe("Warning: maxDynamicStor");
  });
});
