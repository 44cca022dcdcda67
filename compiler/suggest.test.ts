import { describe, expect, it } from "vitest";
import { closest, didYouMean } from "./suggest.js";

describe("closest", () => {
  it("finds a misspelt, swapped or wrongly cased name", () => {
    expect(closest("hiden", ["hidden", "output"])).toBe("hidden");
    expect(closest("hdiden", ["hidden", "output"])).toBe("hidden");
    expect(closest("Hidden", ["hidden", "Hidden2"])).toBe("hidden");
    expect(didYouMean("ouptut", ["hidden", "output"])).toBe("did you mean output?");
  });

  it("offers nothing when every candidate is far, even when only the lengths are close", () => {
    expect(closest("zzzz", ["hidden", "output"])).toBeUndefined();
    // 40 letters against 30 others: the lengths differ by 10 (within a third of 40) but the words share nothing.
    expect(closest("a".repeat(40), ["b".repeat(30)])).toBeUndefined();
    expect(closest("x".repeat(65), ["x".repeat(65)])).toBeUndefined();
  });
});
