import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { KdTree } from "./kd-tree.js";

function bruteNearest(pos: Float64Array, q: [number, number, number], k: number, exclude: number): { ids: number[]; d2: number[] } {
  const all: { id: number; d2: number }[] = [];
  for (let i = 0; i < pos.length / 3; i++) {
    if (i === exclude) continue;
    const dx = pos[3 * i] - q[0], dy = pos[3 * i + 1] - q[1], dz = pos[3 * i + 2] - q[2];
    all.push({ id: i, d2: dx * dx + dy * dy + dz * dz });
  }
  all.sort((a, b) => a.d2 - b.d2 || a.id - b.id);
  const best = all.slice(0, k);
  return { ids: best.map((b) => b.id), d2: best.map((b) => b.d2) };
}

function query(tree: KdTree, q: [number, number, number], k: number, exclude: number) {
  const ids = new Uint32Array(k), d2 = new Float64Array(k);
  const found = tree.nearest(q[0], q[1], q[2], k, exclude, ids, d2);
  return { ids: [...ids.subarray(0, found)], d2: [...d2.subarray(0, found)] };
}

const coord = fc.oneof(fc.integer({ min: -3, max: 3 }), fc.double({ min: -3, max: 3, noNaN: true }));
const point = fc.tuple(coord, coord, coord);

describe("KdTree", () => {
  it("finds the k nearest points to arbitrary query points, ties to the lower index (property)", () => {
    fc.assert(
      fc.property(fc.array(point, { maxLength: 120 }), point, fc.integer({ min: 0, max: 15 }), fc.integer({ min: -1, max: 5 }), (points, q, k, exclude) => {
        const pos = Float64Array.from(points.flat());
        expect(query(new KdTree(pos), q, k, exclude)).toEqual(bruteNearest(pos, q, k, exclude));
      }),
      { numRuns: 300 },
    );
  });

  it("is exact on 3000 clustered points with many equal coordinates (sampled selection path)", () => {
    const pos = new Float64Array(9000);
    for (let i = 0; i < 3000; i++) {
      pos[3 * i] = i % 2 === 0 ? 0 : (i * 7) % 5;
      pos[3 * i + 1] = ((i * 13) % 17) * 0.25;
      pos[3 * i + 2] = i < 1500 ? 0 : 100 + ((i * 3) % 4);
    }
    const tree = new KdTree(pos);
    expect(tree.size).toBe(3000);
    for (const i of [0, 1, 777, 1499, 1500, 2999]) {
      const q: [number, number, number] = [pos[3 * i], pos[3 * i + 1], pos[3 * i + 2]];
      expect(query(tree, q, 10, i)).toEqual(bruteNearest(pos, q, 10, i));
    }
    expect(query(tree, [2.5, 1, 50], 7, -1)).toEqual(bruteNearest(pos, [2.5, 1, 50], 7, -1));
  });
});
