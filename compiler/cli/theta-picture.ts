/**
 * A picture of a relaxed layer's θ, as the paper reads it: the natural-parity blocks (0e, 1o, 2e, …) but the
 * scalar, as a signal on the sphere (a latitude-longitude map in the user's frame, z up, with a colour
 * bar), and the pseudo-tensor blocks (0o, 1e, 2o, …) as a table beside it. Drawn as SVG (shown as is by the
 * web app; rasterised to PNG by theta-picture-png.ts, which is Node-only).
 */
import { escapeSvg as esc } from "./svg-escape.js";
import { Irreps } from "../o3/irreps.js";
import { sphericalHarmonics } from "../o3/spherical-harmonics.js";
import type { DetectedSymmetry } from "../o3/detect-symmetry.js";

const W = 360, H = 180, CELL = 2; // map samples and their size in pixels

/** The natural-parity part of θ (0e excluded) at unit vector n, with orthonormal (integral) harmonics. */
function signal(theta: ArrayLike<number>, irreps: Irreps): (n: number[]) => number {
  const blocks = irreps.entries.map((e, i) => ({ e, off: irreps.offsets[i]! })).filter(({ e }) => e.l > 0 && e.p === (e.l % 2 === 0 ? 1 : -1));
  return (n) => {
    let f = 0;
    for (const { e, off } of blocks) {
      const y = sphericalHarmonics(e.l, n);
      for (let u = 0; u < e.mul; u++) for (let k = 0; k < e.ir.dim; k++) f += theta[off + u * e.ir.dim + k]! * y[k]!;
    }
    return f;
  };
}

/** Diverging colour map: blue (negative), white (0), red (positive); t in [-1, 1]. */
function colour(t: number): string {
  const c = Math.max(-1, Math.min(1, t));
  const [r, g, b] = c >= 0 ? [255, 255 * (1 - c), 255 * (1 - c)] : [255 * (1 + c), 255 * (1 + c), 255];
  return `rgb(${Math.round(r)},${Math.round(g)},${Math.round(b)})`;
}

export function thetaPictureSvg(title: string, theta: ArrayLike<number>, irrepsText: string, detected: DetectedSymmetry): string {
  const irreps = Irreps.parse(irrepsText);
  const f = signal(theta, irreps);
  const values: number[] = [];
  for (let i = 0; i < H; i++) {
    const lat = (Math.PI / 2) * (1 - (2 * (i + 0.5)) / H);
    for (let j = 0; j < W; j++) {
      const lon = -Math.PI + (2 * Math.PI * (j + 0.5)) / W;
      values.push(f([Math.cos(lat) * Math.cos(lon), Math.cos(lat) * Math.sin(lon), Math.sin(lat)]));
    }
  }
  const vmax = Math.max(1e-12, ...values.map(Math.abs));
  const x0 = 80, y0 = 60, mw = W * CELL, mh = H * CELL;
  const parts: string[] = [];
  // One rect per run of equal colour along a row keeps the SVG small.
  for (let i = 0; i < H; i++) {
    let j = 0;
    while (j < W) {
      const c = colour(values[i * W + j]! / vmax);
      let k = j + 1;
      while (k < W && colour(values[i * W + k]! / vmax) === c) k++;
      parts.push(`<rect x="${x0 + j * CELL}" y="${y0 + i * CELL}" width="${(k - j) * CELL}" height="${CELL}" fill="${c}"/>`);
      j = k;
    }
  }
  const text = (x: number, y: number, s: string, extra = "") => `<text x="${x}" y="${y}" ${extra.includes("font-size") ? "" : 'font-size="14" '}${extra}>${esc(s)}</text>`;
  const axes = [
    ...[-180, -90, 0, 90, 180].map((d) => text(x0 + ((d + 180) / 360) * mw - 10, y0 + mh + 18, `${d}°`)),
    ...[90, 45, 0, -45, -90].map((d) => text(x0 - 38, y0 + ((90 - d) / 180) * mh + 5, `${d}°`)),
    text(x0 + mw / 2 - 110, y0 + mh + 40, "longitude (from +x towards +y)"),
    `<text x="20" y="${y0 + mh / 2 + 55}" font-size="14" transform="rotate(-90 20 ${y0 + mh / 2 + 55})">latitude (+z up)</text>`,
  ];
  // Colour bar.
  const bx = x0 + mw + 30, bh = mh;
  const bar = Array.from({ length: 100 }, (_, k) => `<rect x="${bx}" y="${y0 + (k * bh) / 100}" width="20" height="${bh / 100 + 0.5}" fill="${colour(1 - (2 * k) / 99)}"/>`);
  bar.push(text(bx + 26, y0 + 10, `+${vmax.toExponential(2)}`), text(bx + 26, y0 + bh / 2 + 5, "0"), text(bx + 26, y0 + bh, `−${vmax.toExponential(2)}`));
  // Pseudo-tensor blocks as a table.
  const tx = bx + 130;
  const rows = [text(tx, y0 + 10, "pseudo-tensor blocks of θ", 'font-weight="bold"')];
  irreps.entries.forEach((e, i) => {
    if (e.p === (e.l % 2 === 0 ? 1 : -1)) return;
    const off = irreps.offsets[i]!;
    const block = Array.from({ length: e.dim }, (_, k) => Number(theta[off + k]));
    const norm = Math.hypot(...block);
    rows.push(text(tx, y0 + 34 + rows.length * 20, `${e.ir.toString()}  |θ| = ${norm.toExponential(2)}${e.dim <= 3 ? `  (${block.map((v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3)).join(", ")})` : ""}`));
  });
  const axis = detected.axis ? `, axis (${detected.axis.map((v) => (Math.abs(v) < 5e-4 ? 0 : v).toFixed(3)).join(", ")})` : "";
  const width = tx + 420, height = y0 + mh + 60;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    text(x0, 24, `${title}: keeps ${detected.group}${axis}`, 'font-size="18" font-weight="bold"'),
    text(x0, 44, "natural-parity part of θ (1o, 2e, 3o, …; the scalar 0e left out) on the unit sphere"),
    ...parts,
    `<rect x="${x0}" y="${y0}" width="${mw}" height="${mh}" fill="none" stroke="black"/>`,
    ...axes,
    ...bar,
    ...rows,
    "</svg>",
  ].join("\n");
}
