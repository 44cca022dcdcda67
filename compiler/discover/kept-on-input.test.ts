import { describe, expect, it } from "vitest";
import { pointGroup } from "../o3/point-groups.js";
import { namedGroup } from "../o3/subgroups.js";
import { keptOnInput } from "./kept-on-input.js";

const oh = namedGroup(pointGroup("Oh"));
const detected = (group: string, axis?: number[]) => ({ group, order: Infinity, breaking: [], residual: 0, ...(axis ? { axis } : {}) });

describe("keptOnInput", () => {
  it("D∞h about z on the cube's Oh is the prism's D4h about z", () => {
    const k = keptOnInput(detected("D∞h", [0, 0, 1]), oh);
    expect(k.onInput!.name).toBe("D4h");
    expect(Math.abs(k.onInput!.axis![2]!)).toBeCloseTo(1, 9);
    expect(k.text).toBe("keeps D∞h, axis (0.000, 0.000, 1.000); with the input's Oh: D4h, axis (0.000, 0.000, 1.000)");
  });

  it("O(3) keeps the whole input group, C1 nothing, and no input group adds nothing", () => {
    expect(keptOnInput(detected("O(3)"), oh).onInput!.name).toBe("Oh");
    expect(keptOnInput(detected("C1"), oh).onInput!.name).toBe("C1");
    expect(keptOnInput(detected("C∞v", [1, 1, 1]), oh).onInput!.name).toBe("C3v");
    const none = keptOnInput(detected("Cs", [0, 1, 0]), null);
    expect([none.onInput, none.suffix, none.text]).toEqual([null, "", "keeps Cs, axis (0.000, 1.000, 0.000)"]);
  });
});
