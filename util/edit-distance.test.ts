import { describe, expect, it } from "vitest";
import { editDistance } from "./edit-distance.js";

/** The textbook recurrence on the full table, to compare the rolling-row version against. */
function reference(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) => Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= a.length; i++)
    for (let j = 1; j <= b.length; j++) {
      d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
    }
  return d[a.length]![b.length]!;
}

describe("editDistance", () => {
  it("counts insertions, deletions, replacements and adjacent swaps as one edit each", () => {
    expect(editDistance("layer", "layer")).toBe(0);
    expect(editDistance("", "abc")).toBe(3);
    expect(editDistance("abc", "")).toBe(3);
    expect(editDistance("layr", "layer")).toBe(1);
    expect(editDistance("layers", "layer")).toBe(1);
    expect(editDistance("lazer", "layer")).toBe(1);
    expect(editDistance("lyaer", "layer")).toBe(1);
    expect(editDistance("kitten", "sitting")).toBe(3);
    // Optimal string alignment edits no substring twice: "ca" -> "abc" is 3, not 2.
    expect(editDistance("ca", "abc")).toBe(3);
    expect(editDistance("C2v", "c2v")).toBe(1);
  });

  it("agrees with the full table on random words", () => {
    let s = 12345;
    const rand = (n: number) => ((s = (s * 1103515245 + 12345) % 2147483648), s % n);
    const word = () => Array.from({ length: rand(9) }, () => "abcd"[rand(4)]).join("");
    for (let t = 0; t < 2000; t++) {
      const a = word(), b = word();
      expect(editDistance(a, b), `${a} / ${b}`).toBe(reference(a, b));
      expect(editDistance(b, a)).toBe(reference(a, b));
    }
  });

  it("reports anything beyond max as max + 1, and exact distances up to max", () => {
    expect(editDistance("a".repeat(40), "b".repeat(30), 13)).toBe(14);
    expect(editDistance("abcdefgh", "abcdefgh-longer-by-far", 3)).toBe(4);
    expect(editDistance("kitten", "sitting", 3)).toBe(3);
    expect(editDistance("kitten", "sitting", 2)).toBe(3);
  });
});
