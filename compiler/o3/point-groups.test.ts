import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { maxAbsDiff } from "../../test/e3nn-vectors.js";
import {
  MAX_AXIS_ORDER, POINT_GROUP_FAMILIES, POINT_GROUP_NAMES, catalogueSummary, parsePointGroupName, pointGroup,
  type PointGroup,
} from "./point-groups.js";
import { applyMatrix3, axisAngleToMatrix, det3, identity3, matmul3, randomRotation, seededRng, transpose3 } from "./rotation.js";

const I3 = identity3();
const PHI = (1 + Math.sqrt(5)) / 2;
const diag = (a: number, b: number, c: number) => Float64Array.of(a, 0, 0, 0, b, 0, 0, 0, c);
const neg = (m: Float64Array) => m.map((v) => -v);
/** The reflection through the plane with normal n: I - 2 n nᵀ / |n|². */
function mirror(n: number[]): Float64Array {
  const s = n.reduce((a, v) => a + v * v, 0);
  return Float64Array.from({ length: 9 }, (_, k) => (k % 4 === 0 ? 1 : 0) - (2 * n[Math.floor(k / 3)]! * n[k % 3]!) / s);
}
const turn = (axis: number[], n: number) => axisAngleToMatrix(axis, (2 * Math.PI) / n);
const has = (g: PointGroup, m: Float64Array) => g.elements().some((e) => maxAbsDiff(e, m) < 1e-12);
const NS = [2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12];

function sameSet(a: Float64Array[], b: Float64Array[], tol = 1e-12): boolean {
  return a.length === b.length && a.every((x) => b.some((y) => maxAbsDiff(x, y) < tol)) && b.every((y) => a.some((x) => maxAbsDiff(x, y) < tol));
}

function orthogonalityError(m: Float64Array): number {
  return maxAbsDiff(matmul3(transpose3(m), m), I3);
}

describe("point group names", () => {
  it("parses every catalogue name to itself, and the aliases to their canonical names", () => {
    const names = [...POINT_GROUP_NAMES];
    for (const f of POINT_GROUP_FAMILIES) if (f.minN !== null) for (const n of NS) if (f.family !== "Sn" || n % 2 === 0) if (n >= f.minN) names.push(f.pattern.replace("n", String(n)));
    expect(names.length).toBeGreaterThan(70);
    for (const name of names) {
      const p = parsePointGroupName(name);
      expect(p.canonical).toBe(name);
      expect(parsePointGroupName(p.canonical).family).toBe(p.family);
    }
    const aliases: [string, string][] = [
      ["Cinf", "C∞"], ["Cinfv", "C∞v"], ["Cinfh", "C∞h"], ["Dinf", "D∞"], ["Dinfh", "D∞h"],
      ["SO3", "SO(3)"], ["O3", "O(3)"], ["S2", "Ci"], ["C1h", "Cs"],
    ];
    for (const [alias, canonical] of aliases) expect(parsePointGroupName(alias).canonical).toBe(canonical);
  });

  it("returns family, n and the family's facts without building matrices", () => {
    expect(parsePointGroupName("C3v")).toMatchObject({ canonical: "C3v", family: "Cnv", n: 3 });
    expect(parsePointGroupName("S4")).toMatchObject({ canonical: "S4", family: "Sn", n: 4 });
    expect(parsePointGroupName("D6h")).toMatchObject({ canonical: "D6h", family: "Dnh", n: 6 });
    expect(parsePointGroupName("Dinfh")).toMatchObject({ canonical: "D∞h", family: "D∞h", n: null });
    const oh = parsePointGroupName("Oh");
    expect([oh.n, oh.info.order(oh.n), oh.info.continuous, oh.info.usesSecondary]).toEqual([null, 48, false, true]);
    const c4 = parsePointGroupName("C4");
    expect([c4.info.order(c4.n), c4.info.usesAxis, c4.info.usesSecondary]).toEqual([4, true, false]);
    expect(parsePointGroupName("SO(3)").info.usesAxis).toBe(false);
    expect(parsePointGroupName(`C${MAX_AXIS_ORDER}`).n).toBe(MAX_AXIS_ORDER);
  });

  it("rejects unknown names with the closest valid name", () => {
    expect(() => parsePointGroupName("D4j")).toThrow("unknown point group 'D4j'; did you mean D4h?");
    expect(() => parsePointGroupName("c2v")).toThrow("did you mean C2v?");
    expect(() => parsePointGroupName("oh")).toThrow("did you mean Oh?");
    expect(() => parsePointGroupName("cinfv")).toThrow("did you mean Cinfv?");
    expect(() => parsePointGroupName("SO(2)")).toThrow("did you mean SO(3)?");
    expect(() => parsePointGroupName("C02v")).toThrow("did you mean C2v?");
    expect(() => parsePointGroupName("xyzzy")).toThrow(`unknown point group 'xyzzy'; expected one of ${catalogueSummary()}`);
    expect(() => parsePointGroupName("")).toThrow("unknown point group ''");
    expect(() => parsePointGroupName("C3V")).toThrow("did you mean C3v?");
  });

  it("rejects odd S_n (S3 is C3h), subscript-1 aliases that move the axes, and huge n", () => {
    expect(() => parsePointGroupName("S3")).toThrow("S_n needs even n (S3 is C3h)");
    expect(() => parsePointGroupName("S1")).toThrow("S_n needs even n (S1 is Cs)");
    expect(() => parsePointGroupName("S7")).toThrow("S7 is C7h");
    expect(() => parsePointGroupName("D1")).toThrow("D1 is C2");
    expect(() => parsePointGroupName("D1h")).toThrow("D1h is C2v");
    expect(() => parsePointGroupName("D1d")).toThrow("D1d is C2h");
    expect(() => parsePointGroupName("C1v")).toThrow("C1v is Cs");
    expect(() => parsePointGroupName(`D${MAX_AXIS_ORDER + 1}h`)).toThrow("larger than the supported");
  });
});

describe("point group matrices", () => {
  it("has orthogonal generators and elements, closed under products, identity first", () => {
    const names = [...POINT_GROUP_NAMES, "C5", "C6v", "C3h", "D5", "D6h", "D4d", "S8"];
    for (const name of names) {
      const g = pointGroup(name);
      for (const m of g.generators) expect(orthogonalityError(m), name).toBeLessThan(1e-14);
      if (g.continuous) continue;
      const els = g.elements();
      expect(maxAbsDiff(els[0]!, I3)).toBe(0);
      for (const a of els) {
        expect(orthogonalityError(a), name).toBeLessThan(1e-13);
        for (const b of g.generators) expect(els.some((e) => maxAbsDiff(e, matmul3(a, b)) < 1e-9), name).toBe(true);
        expect(els.some((e) => maxAbsDiff(e, transpose3(a)) < 1e-9), `${name} inverse`).toBe(true);
      }
    }
  });

  it("has the right orders: Cn n, Cnv/Cnh/Dn 2n, Dnh/Dnd 4n, S2n 2n for n = 2..12; T 12, Td/Th/O 24, Oh 48, I 60, Ih 120", () => {
    const fixed: Record<string, number> = { C1: 1, Ci: 2, Cs: 2, T: 12, Td: 24, Th: 24, O: 24, Oh: 48, I: 60, Ih: 120 };
    for (const [name, order] of Object.entries(fixed)) {
      expect(pointGroup(name).order, name).toBe(order);
      expect(pointGroup(name).elements().length, name).toBe(order);
    }
    for (const n of NS) {
      const want: Record<string, number> = { [`C${n}`]: n, [`C${n}v`]: 2 * n, [`C${n}h`]: 2 * n, [`D${n}`]: 2 * n, [`D${n}h`]: 4 * n, [`D${n}d`]: 4 * n, [`S${2 * n}`]: 2 * n };
      for (const [name, order] of Object.entries(want)) {
        const g = pointGroup(name);
        expect(g.order, name).toBe(order);
        expect(g.elements().length, name).toBe(order);
      }
    }
  });

  it("puts the groups in the documented default orientation", () => {
    const c4 = pointGroup("C4");
    expect(Array.from(c4.axis!)).toEqual([0, 0, 1]);
    expect(has(c4, turn([0, 0, 1], 4))).toBe(true);
    expect(c4.secondary).toBeNull();
    expect(sameSet(pointGroup("Cs").elements(), [I3, diag(1, 1, -1)])).toBe(true);
    expect(sameSet(pointGroup("Ci").elements(), [I3, diag(-1, -1, -1)])).toBe(true);
    // C2v: mirror planes xz (normal y) and yz; C3v: one mirror has normal y.
    expect(sameSet(pointGroup("C2v").elements(), [I3, diag(-1, -1, 1), diag(1, -1, 1), diag(-1, 1, 1)])).toBe(true);
    expect(has(pointGroup("C3v"), mirror([0, 1, 0]))).toBe(true);
    expect(has(pointGroup("C3v"), mirror([1, 0, 0]))).toBe(false);
    expect(Array.from(pointGroup("C3v").secondary!)).toEqual([1, 0, 0]);
    // Dn: a two-fold axis along x.
    expect(sameSet(pointGroup("D2").elements(), [I3, diag(1, -1, -1), diag(-1, 1, -1), diag(-1, -1, 1)])).toBe(true);
    expect(has(pointGroup("D3"), diag(1, -1, -1))).toBe(true);
    expect(has(pointGroup("D3h"), mirror([0, 0, 1]))).toBe(true);
    // Dnd: mirrors bisect the two-fold axes (D2d: planes x = ±y), the axis is S_2n.
    const d2d = pointGroup("D2d");
    expect(has(d2d, mirror([1, -1, 0])) && has(d2d, mirror([1, 1, 0])) && !has(d2d, mirror([0, 1, 0]))).toBe(true);
    expect(has(d2d, matmul3(diag(1, 1, -1), turn([0, 0, 1], 4)))).toBe(true);
    expect(has(pointGroup("D3d"), diag(-1, -1, -1))).toBe(true);
    expect(has(pointGroup("S6"), diag(-1, -1, -1))).toBe(true);
    expect(has(pointGroup("S4"), diag(-1, -1, -1))).toBe(false);
    // Cubic groups aligned with the axes.
    for (const a of [[1, 0, 0], [0, 1, 0], [0, 0, 1]]) {
      expect(has(pointGroup("O"), turn(a, 4))).toBe(true);
      expect(has(pointGroup("T"), turn(a, 2)) && !has(pointGroup("T"), turn(a, 4))).toBe(true);
      expect(has(pointGroup("I"), turn(a, 2))).toBe(true);
      expect(has(pointGroup("Th"), mirror(a))).toBe(true);
    }
    expect(has(pointGroup("T"), turn([1, 1, 1], 3)) && has(pointGroup("T"), turn([1, -1, -1], 3))).toBe(true);
    expect(has(pointGroup("Td"), mirror([1, -1, 0])) && has(pointGroup("Td"), matmul3(diag(1, 1, -1), turn([0, 0, 1], 4)))).toBe(true);
    expect(has(pointGroup("Oh"), diag(-1, -1, -1))).toBe(true);
    // I: five-fold axes through the icosahedron's vertices (0, ±1, ±φ) and their cyclic permutations.
    for (const v of [[0, 1, PHI], [0, -1, PHI], [1, PHI, 0], [PHI, 0, 1]]) expect(has(pointGroup("I"), turn(v, 5))).toBe(true);
    expect(has(pointGroup("Ih"), mirror([1, 0, 0]))).toBe(true);
    expect(Array.from(pointGroup("Oh").axis!)).toEqual([0, 0, 1]);
    expect(Array.from(pointGroup("Oh").secondary!)).toEqual([1, 0, 0]);
  });

  it("rotates the whole group by an orientation: elements are Q g Qᵀ, Q taking z to axis and x to secondary (property)", () => {
    const names = ["C3", "C4v", "C5h", "D3", "D2h", "D4d", "S6", "Td", "Oh", "I"];
    fc.assert(
      fc.property(fc.integer(), fc.constantFrom(...names), (seed, name) => {
        const q = randomRotation(seededRng(seed));
        const axis = applyMatrix3(q, [0, 0, 3]), secondary = applyMatrix3(q, [0.5, 0, 0]);
        const g = pointGroup(name, { axis, secondary });
        const want = pointGroup(name).elements().map((e) => matmul3(matmul3(q, e), transpose3(q)));
        expect(sameSet(g.elements(), want, 1e-11)).toBe(true);
        expect(maxAbsDiff(g.orientation, q)).toBeLessThan(1e-14);
        expect(maxAbsDiff(g.axis!, applyMatrix3(q, [0, 0, 1]))).toBeLessThan(1e-15);
        if (g.secondary) expect(maxAbsDiff(g.secondary, applyMatrix3(q, [1, 0, 0]))).toBeLessThan(1e-15);
      }),
      { numRuns: 30 },
    );
  });

  it("chooses the secondary direction deterministically when it is omitted, and accepts a nearly perpendicular one", () => {
    for (const axis of [[0, 0, 1], [0, 0, -1], [1, 0, 0], [0, 1, 0], [1, 2, -3], [1e-9, 0, -1], [0.3, -0.2, 0.9]]) {
      const g = pointGroup("D3", { axis });
      const a = g.axis!, s = g.secondary!;
      expect(Math.abs(a[0]! * s[0]! + a[1]! * s[1]! + a[2]! * s[2]!)).toBeLessThan(1e-15);
      expect(Math.hypot(...s)).toBeCloseTo(1, 15);
      expect(det3(g.orientation)).toBeCloseTo(1, 14);
      expect(Array.from(pointGroup("D3", { axis }).secondary!)).toEqual(Array.from(s));
    }
    expect(Array.from(pointGroup("D3", { axis: [0, 0, -1] }).secondary!)).toEqual([1, 0, 0]);
    expect(maxAbsDiff(pointGroup("D3", { axis: [1, 0, 0] }).secondary!, [0, 0, -1])).toBeLessThan(1e-16);
    const tilted = pointGroup("D2", { axis: [0, 0, 1], secondary: [1, 1e-7, 5e-7] });
    expect(Math.abs(tilted.secondary![2]!)).toBeLessThan(1e-16);
    // Groups that a secondary cannot change ignore it (after validating it).
    const c4 = pointGroup("C4", { axis: [0, 0, 1], secondary: [0, 1, 0] });
    expect(c4.secondary).toBeNull();
    expect(sameSet(c4.elements(), pointGroup("C4").elements())).toBe(true);
    expect(sameSet(pointGroup("C1", { axis: [1, 1, 0] }).elements(), [I3])).toBe(true);
  });

  it("rejects bad orientations with clear messages", () => {
    expect(() => pointGroup("D4", { axis: [0, 0, 0] })).toThrow("point group D4: the orientation axis must be a non-zero vector, got [0, 0, 0]");
    expect(() => pointGroup("D4", { secondary: [0, 0, 0] })).toThrow("orientation secondary must be a non-zero vector");
    expect(() => pointGroup("D4", { axis: [0, 1] })).toThrow("the orientation axis must be 3 finite numbers");
    expect(() => pointGroup("D4", { axis: [0, NaN, 1] })).toThrow("must be 3 finite numbers");
    expect(() => pointGroup("D4", { axis: [0, 0, 1], secondary: [1, 0, 1] })).toThrow(
      "point group D4: the secondary direction [1, 0, 1] is not perpendicular to the axis [0, 0, 1]",
    );
    expect(() => pointGroup("C4", { secondary: [0, 0, 1] })).toThrow("not perpendicular");
    expect(() => pointGroup("D4k")).toThrow("did you mean D4h?");
  });

  it("tests membership: elements in, other orthogonal matrices out", () => {
    const d4h = pointGroup("D4h", { axis: [1, 1, 0], secondary: [0, 0, 1] });
    for (const e of d4h.elements()) expect(d4h.contains(e)).toBe(true);
    expect(d4h.contains(turn([1, 1, 0], 8))).toBe(false);
    expect(d4h.contains(turn([1, 1, 0], 4))).toBe(true);
    expect(d4h.contains(diag(2, 1, 1))).toBe(false);
    const rng = seededRng(5);
    for (let t = 0; t < 20; t++) expect(d4h.randomElement(rng).length).toBe(9);
  });
});

describe("continuous point groups", () => {
  it("are infinite, have no element list, and draw random elements that they contain", () => {
    const rng = seededRng(11);
    for (const name of ["C∞", "C∞v", "C∞h", "D∞", "D∞h", "SO(3)", "O(3)"]) {
      const g = pointGroup(name, { axis: [1, -2, 2] });
      expect(g.order).toBe(Infinity);
      expect(g.continuous).toBe(true);
      expect(() => g.elements()).toThrow("is continuous");
      for (let t = 0; t < 30; t++) {
        const m = g.randomElement(rng);
        expect(orthogonalityError(m)).toBeLessThan(1e-14);
        expect(g.contains(m), name).toBe(true);
      }
    }
  });

  it("contain exactly the expected kinds of elements", () => {
    const z = [0, 0, 1], x = [1, 0, 0];
    const r = axisAngleToMatrix(z, 0.7);
    const sv = mirror([Math.sin(0.3), Math.cos(0.3), 0]); // a mirror plane containing z
    const cases: [string, Float64Array, boolean][] = [
      ["C∞", r, true], ["C∞", sv, false], ["C∞", neg(I3), false], ["C∞", turn(x, 2), false],
      ["C∞v", sv, true], ["C∞v", mirror(z), false], ["C∞v", neg(I3), false],
      ["C∞h", mirror(z), true], ["C∞h", neg(I3), true], ["C∞h", sv, false],
      ["D∞", axisAngleToMatrix([Math.cos(1), Math.sin(1), 0], Math.PI), true], ["D∞", sv, false],
      ["D∞h", sv, true], ["D∞h", neg(I3), true], ["D∞h", turn([1, 0, 1], 2), false],
      ["SO(3)", randomRotation(seededRng(1)), true], ["SO(3)", neg(I3), false], ["O(3)", neg(I3), true],
    ];
    for (const [name, m, want] of cases) expect(pointGroup(name).contains(m), `${name}`).toBe(want);
    expect(Array.from(pointGroup("C∞v").continuousAxis!)).toEqual([0, 0, 1]);
    expect(pointGroup("C∞v").continuousRotations).toBe("axial");
    expect(pointGroup("O(3)").continuousRotations).toBe("all");
    expect(pointGroup("D4h").continuousRotations).toBe("none");
  });

  it("stand in for themselves by finite proxies that keep the orientation", () => {
    const g = pointGroup("D∞h", { axis: [0, 1, 0] });
    const proxy = g.finiteProxy(5);
    expect(proxy.name).toBe("D6h");
    expect(proxy.elements().every((e) => g.contains(e))).toBe(true);
    expect(pointGroup("C∞v").finiteProxy(0).name).toBe("C2v");
    expect(pointGroup("Oh").finiteProxy(3).name).toBe("Oh");
    expect(() => pointGroup("SO(3)").finiteProxy(2)).toThrow("no finite proxy");
  });
});
