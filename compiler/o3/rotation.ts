/**
 * 3x3 rotation matrices (row-major, length 9) and e3nn's parametrisations of them: Y-X-Y Euler angles
 * (alpha, beta, gamma) with R = Ry(alpha) Rx(beta) Ry(gamma), axis-angle, and unit quaternions.
 */

import { randomNormal, seededRng, type Rng } from "../../util/random.js";

// One generator for the O(3) tools, the compiler and the runtime (which initialises compiled models' parameters).
export { randomNormal, seededRng, type Rng };

export type Matrix3 = Float64Array;

export function identity3(): Matrix3 {
  return Float64Array.of(1, 0, 0, 0, 1, 0, 0, 0, 1);
}

export function matmul3(a: ArrayLike<number>, b: ArrayLike<number>): Matrix3 {
  const out = new Float64Array(9);
  for (let i = 0; i < 3; i++)
    for (let j = 0; j < 3; j++) out[i * 3 + j] = a[i * 3]! * b[j]! + a[i * 3 + 1]! * b[3 + j]! + a[i * 3 + 2]! * b[6 + j]!;
  return out;
}

export function transpose3(a: ArrayLike<number>): Matrix3 {
  return Float64Array.of(a[0]!, a[3]!, a[6]!, a[1]!, a[4]!, a[7]!, a[2]!, a[5]!, a[8]!);
}

export function det3(a: ArrayLike<number>): number {
  return (
    a[0]! * (a[4]! * a[8]! - a[5]! * a[7]!) -
    a[1]! * (a[3]! * a[8]! - a[5]! * a[6]!) +
    a[2]! * (a[3]! * a[7]! - a[4]! * a[6]!)
  );
}

export function applyMatrix3(m: ArrayLike<number>, v: ArrayLike<number>): Float64Array {
  return Float64Array.of(
    m[0]! * v[0]! + m[1]! * v[1]! + m[2]! * v[2]!,
    m[3]! * v[0]! + m[4]! * v[1]! + m[5]! * v[2]!,
    m[6]! * v[0]! + m[7]! * v[1]! + m[8]! * v[2]!,
  );
}

/** Throws unless `m` is a 3x3 orthogonal matrix (proper or improper) within `tol`. */
export function assertOrthogonal(m: ArrayLike<number>, what = "matrix", tol = 1e-6): void {
  if (m.length !== 9) throw new Error(`${what}: expected 9 numbers (row-major 3x3), got ${m.length}`);
  const mtm = matmul3(transpose3(m), m);
  for (let i = 0; i < 9; i++) {
    const want = i % 4 === 0 ? 1 : 0;
    if (!(Math.abs(mtm[i]! - want) <= tol)) throw new Error(`${what}: not orthogonal (M^T M differs from I by ${Math.abs(mtm[i]! - want).toExponential(2)})`);
  }
}

export function matrixX(angle: number): Matrix3 {
  const c = Math.cos(angle), s = Math.sin(angle);
  return Float64Array.of(1, 0, 0, 0, c, -s, 0, s, c);
}

export function matrixY(angle: number): Matrix3 {
  const c = Math.cos(angle), s = Math.sin(angle);
  return Float64Array.of(c, 0, s, 0, 1, 0, -s, 0, c);
}

export function matrixZ(angle: number): Matrix3 {
  const c = Math.cos(angle), s = Math.sin(angle);
  return Float64Array.of(c, -s, 0, s, c, 0, 0, 0, 1);
}

/** e3nn's `angles_to_matrix`: Ry(alpha) Rx(beta) Ry(gamma). */
export function anglesToMatrix(alpha: number, beta: number, gamma: number): Matrix3 {
  return matmul3(matmul3(matrixY(alpha), matrixX(beta)), matrixY(gamma));
}

/** e3nn's `xyz_to_angles`: the (alpha, beta) that rotate the y axis onto the direction of `xyz`. */
export function xyzToAngles(xyz: ArrayLike<number>): [number, number] {
  const n = Math.hypot(xyz[0]!, xyz[1]!, xyz[2]!);
  const y = Math.min(1, Math.max(-1, xyz[1]! / n));
  return [Math.atan2(xyz[0]! / n, xyz[2]! / n), Math.acos(y)];
}

/** e3nn's `matrix_to_angles` for a proper rotation: the inverse of `anglesToMatrix`. */
export function matrixToAngles(r: ArrayLike<number>): [number, number, number] {
  const [alpha, beta] = xyzToAngles(applyMatrix3(r, [0, 1, 0]));
  const rest = matmul3(transpose3(anglesToMatrix(alpha, beta, 0)), r);
  return [alpha, beta, Math.atan2(rest[2]!, rest[0]!)];
}

/** Rotation by `angle` (radians, right-handed) about `axis` (any non-zero length). */
export function axisAngleToMatrix(axis: ArrayLike<number>, angle: number): Matrix3 {
  const n = Math.hypot(axis[0]!, axis[1]!, axis[2]!);
  if (!(n > 0)) throw new Error("axisAngleToMatrix: the axis must be a non-zero vector");
  const half = angle / 2;
  const s = Math.sin(half) / n;
  return quaternionToMatrix([Math.cos(half), axis[0]! * s, axis[1]! * s, axis[2]! * s]);
}

/** The axis (unit) and angle in [0, pi] of a proper rotation. */
export function matrixToAxisAngle(r: ArrayLike<number>): { axis: Float64Array; angle: number } {
  const q = matrixToQuaternion(r);
  const s = Math.hypot(q[1]!, q[2]!, q[3]!);
  if (s < 1e-300) return { axis: Float64Array.of(0, 0, 1), angle: 0 };
  const sign = q[0]! < 0 ? -1 : 1;
  return {
    axis: Float64Array.of((sign * q[1]!) / s, (sign * q[2]!) / s, (sign * q[3]!) / s),
    angle: 2 * Math.atan2(s, Math.abs(q[0]!)),
  };
}

/** Unit quaternion (w, x, y, z) to rotation matrix; the quaternion is normalised first. */
export function quaternionToMatrix(q: ArrayLike<number>): Matrix3 {
  const n = Math.hypot(q[0]!, q[1]!, q[2]!, q[3]!);
  const w = q[0]! / n, x = q[1]! / n, y = q[2]! / n, z = q[3]! / n;
  return Float64Array.of(
    1 - 2 * (y * y + z * z), 2 * (x * y - z * w), 2 * (x * z + y * w),
    2 * (x * y + z * w), 1 - 2 * (x * x + z * z), 2 * (y * z - x * w),
    2 * (x * z - y * w), 2 * (y * z + x * w), 1 - 2 * (x * x + y * y),
  );
}

/** Quaternion (w >= 0) of a proper rotation, by Shepperd's method (stable for every angle). */
export function matrixToQuaternion(r: ArrayLike<number>): Float64Array {
  const [m00, m01, m02, m10, m11, m12, m20, m21, m22] = Array.from({ length: 9 }, (_, i) => r[i]!) as [
    number, number, number, number, number, number, number, number, number,
  ];
  const tr = m00 + m11 + m22;
  let q: number[];
  if (tr >= m00 && tr >= m11 && tr >= m22) {
    const s = 2 * Math.sqrt(1 + tr);
    q = [s / 4, (m21 - m12) / s, (m02 - m20) / s, (m10 - m01) / s];
  } else if (m00 >= m11 && m00 >= m22) {
    const s = 2 * Math.sqrt(1 + m00 - m11 - m22);
    q = [(m21 - m12) / s, s / 4, (m01 + m10) / s, (m02 + m20) / s];
  } else if (m11 >= m22) {
    const s = 2 * Math.sqrt(1 + m11 - m00 - m22);
    q = [(m02 - m20) / s, (m01 + m10) / s, s / 4, (m12 + m21) / s];
  } else {
    const s = 2 * Math.sqrt(1 + m22 - m00 - m11);
    q = [(m10 - m01) / s, (m02 + m20) / s, (m12 + m21) / s, s / 4];
  }
  const sign = q[0]! < 0 ? -1 : 1;
  return Float64Array.from(q, (v) => v * sign);
}

/** A rotation drawn uniformly (Haar measure) from SO(3): a normalised Gaussian quaternion. */
export function randomRotation(rng: Rng = Math.random): Matrix3 {
  for (;;) {
    const q = [randomNormal(rng), randomNormal(rng), randomNormal(rng), randomNormal(rng)];
    if (Math.hypot(...q) > 1e-8) return quaternionToMatrix(q);
  }
}

/** A uniformly random element of O(3): a random rotation, inverted with probability 1/2. */
export function randomOrthogonal(rng: Rng = Math.random): Matrix3 {
  const r = randomRotation(rng);
  return rng() < 0.5 ? r : r.map((v) => -v);
}

/** Uniform random Euler angles of a Haar-random rotation, as e3nn's `rand_angles`. */
export function randomAngles(rng: Rng = Math.random): [number, number, number] {
  return [2 * Math.PI * rng(), Math.acos(2 * rng() - 1), 2 * Math.PI * rng()];
}
