import { createHash } from "node:crypto";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { sha256Hex } from "./sha256.js";

const node = (s: string) => createHash("sha256").update(s).digest("hex");

describe("sha256Hex", () => {
  it("matches the FIPS 180-4 examples", () => {
    expect(sha256Hex("")).toBe("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
    expect(sha256Hex("abc")).toBe("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  });
  it("matches node:crypto at every padding boundary and on non-ASCII text", () => {
    for (let n = 0; n < 200; n++) expect(sha256Hex("x".repeat(n))).toBe(node("x".repeat(n)));
    expect(sha256Hex("relax to D∞h · θ")).toBe(node("relax to D∞h · θ"));
  });
  it("matches node:crypto on arbitrary strings", () => {
    fc.assert(fc.property(fc.string({ unit: "grapheme", maxLength: 300 }), (s) => sha256Hex(s) === node(s)), { numRuns: 300 });
  });
});
