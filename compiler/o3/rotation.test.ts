import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxAbsDiff } from "../../test/e3nn-vectors.js";
import {
  anglesToMatrix, applyMatrix3, axisAngleToMatrix, det3, matmul3, matrixToAngles, matrixToAxisAngle,
  matrixToQuaternion, matrixZ, quaternionToMatrix, randomOrthogonal, randomRotation, seededRng, transpose3,
} from "./rotation.js";

describe("rotations", () => {
  it("random rotations are proper orthogonal; random O(3) elements include inversions", () => {
    const rng = seededRng(1);
    let improper = 0;
    for (let t = 0; t < 200; t++) {
      const r = randomRotation(rng);
      expect(maxAbsDiff(matmul3(r, transpose3(r)), [1, 0, 0, 0, 1, 0, 0, 0, 1])).toBeLessThan(1e-14);
      expect(det3(r)).toBeCloseTo(1, 13);
      if (det3(randomOrthogonal(rng)) < 0) improper++;
    }
    expect(improper).toBeGreaterThan(60);
    expect(improper).toBeLessThan(140);
  });

  it("random rotations are Haar-distributed: E[R] = 0 and E[R_ij^2] = 1/3", () => {
    const rng = seededRng(2);
    const n = 4000;
    const mean = new Float64Array(9), sq = new Float64Array(9);
    for (let t = 0; t < n; t++) randomRotation(rng).forEach((v, i) => ((mean[i] += v / n), (sq[i] += (v * v) / n)));
    expect(Math.max(...mean.map(Math.abs))).toBeLessThan(0.05);
    expect(maxAbsDiff(sq, new Array(9).fill(1 / 3))).toBeLessThan(0.03);
  });

  it("Euler angles (Y-X-Y) round-trip through matrices (property)", () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = randomRotation(seededRng(seed));
        const [a, b, c] = matrixToAngles(r);
        expect(maxAbsDiff(anglesToMatrix(a, b, c), r)).toBeLessThan(1e-12);
      }),
    );
  });

  it("axis-angle and quaternions round-trip, and rotate right-handed", () => {
    expect(maxAbsDiff(axisAngleToMatrix([0, 0, 2], Math.PI / 2), matrixZ(Math.PI / 2))).toBeLessThan(1e-15);
    expect(maxAbsDiff(applyMatrix3(axisAngleToMatrix([0, 0, 1], Math.PI / 2), [1, 0, 0]), [0, 1, 0])).toBeLessThan(1e-15);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const r = randomRotation(seededRng(seed));
        const { axis, angle } = matrixToAxisAngle(r);
        expect(maxAbsDiff(axisAngleToMatrix(axis, angle), r)).toBeLessThan(1e-12);
        expect(maxAbsDiff(quaternionToMatrix(matrixToQuaternion(r)), r)).toBeLessThan(1e-12);
      }),
    );
    expect(() => axisAngleToMatrix([0, 0, 0], 1)).toThrow("non-zero");
  });
});
