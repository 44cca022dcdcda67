import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "./sha256.js";

describe("sha256Hex", () => {
  it("matches node:crypto on every length around the block and padding boundaries, and on offset views", () => {
    const data = Uint8Array.from({ length: 300 }, (_, i) => (i * 131 + 7) & 255);
    for (let n = 0; n <= 200; n++) {
      expect(sha256Hex(data.subarray(0, n)), `length ${n}`).toBe(createHash("sha256").update(data.subarray(0, n)).digest("hex"));
    }
    expect(sha256Hex(data.subarray(13, 250))).toBe(createHash("sha256").update(data.subarray(13, 250)).digest("hex"));
    expect(sha256Hex(new TextEncoder().encode("abc"))).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("matches node:crypto on arbitrary UTF-8 text", () => {
    const utf8 = (s: string) => new TextEncoder().encode(s);
    expect(sha256Hex(utf8("relax to D∞h · θ"))).toBe(createHash("sha256").update("relax to D∞h · θ").digest("hex"));
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => sha256Hex(utf8(s)) === createHash("sha256").update(s).digest("hex")), { numRuns: 300 });
  });
});
