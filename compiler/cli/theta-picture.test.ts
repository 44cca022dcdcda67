import { describe, expect, it } from "vitest";
import { detectSymmetry } from "../o3/detect-symmetry.js";
import { thetaPicturePng } from "./theta-picture-png.js";
import { thetaPictureSvg } from "./theta-picture.js";

// θ = 0e + 0o + 1o + 1e: a polar vector along x (the map's maximum at longitude 0 on the equator) and an axial one along y.
const theta = [1, 0, 0.7, 0, 0, 0, -1, 0];
const irreps = "1x0e+1x0o+1x1o+1x1e";

describe("the picture of θ", () => {
  it("labels the map with the detected group and lists the pseudo-tensor blocks", () => {
    const svg = thetaPictureSvg("layer y", theta, irreps, detectSymmetry(theta, irreps));
    expect(svg).toContain("layer y: keeps Cs, axis (0.000, 1.000, 0.000)");
    expect(svg).toContain("1e  |θ| = 1.00e+0  (0.000, -1.000, 0.000)");
    expect(svg).toContain("0o  |θ| = 0.00e+0");
    // The signal peaks (full red) where the 1o vector points: longitude 0, latitude 0, i.e. the map's centre.
    expect(svg).toMatch(/<rect x="\d+" y="\d+" width="\d+" height="2" fill="rgb\(255,0,0\)"\/>/);
  });

  it("renders a PNG (with its own font)", () => {
    const png = thetaPicturePng("layer y", theta, irreps, detectSymmetry(theta, irreps));
    expect([...png.subarray(0, 8)]).toEqual([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
    expect(png.length).toBeGreaterThan(10_000);
  });
});
