// The loss curve: every epoch drawn on a log scale spanning the data, hostile names escaped, empty logs drawn.
import { describe, expect, it } from "vitest";
import { lossCurvePng, lossCurveSvg } from "./loss-picture.js";

const rows = Array.from({ length: 50 }, (_, i) => ({ epoch: i + 1, loss: 10 * 0.7 ** i, regularization: i % 2 ? 1e-3 : 0 }));

describe("loss curve", () => {
  it("draws each epoch's loss, decades from the smallest to the largest value, and the regulariser where positive", () => {
    const svg = lossCurveSvg("M", rows);
    const lines = [...svg.matchAll(/<polyline[^>]*points="([^"]*)"/g)].map((m) => m[1]!.split(" ").length);
    expect(lines).toEqual([50, 25]);
    expect(svg).toContain(">1e-7<"); // 10 · 0.7^49 ≈ 2.6e-7: the axis starts at the decade below it
    expect(svg).not.toContain(">1e-8<");
    expect(svg).toContain(">1e1<");
    expect(svg).toContain("epoch 50: loss 2.569e-7 (2.57e-8 of the first epoch's)");
  });

  it("escapes the title and copes with no finite values", () => {
    const svg = lossCurveSvg("<M&>", [{ epoch: 1, loss: NaN, regularization: 0 }]);
    expect(svg).toContain("&lt;M&amp;&gt;");
    expect(svg).not.toContain("<polyline");
    expect(Buffer.from(lossCurvePng("M", [])).subarray(1, 4).toString()).toBe("PNG");
  });
});
