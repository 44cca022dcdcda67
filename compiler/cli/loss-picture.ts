/**
 * The loss curve `regnnc train` writes beside loss.csv: loss (and the θ regulariser, when there is one) per
 * epoch on a log scale, since training losses span many decades.
 */
import { escapeSvg as esc, svgToPng } from "./svg-png.js";

export interface LossRow {
  epoch: number;
  loss: number;
  regularization: number;
}

const PW = 640, PH = 360, X0 = 80, Y0 = 50;

export function lossCurveSvg(title: string, rows: readonly LossRow[]): string {
  const series = [
    { name: "loss", colour: "#1f4e9c", values: rows.map((r) => [r.epoch, r.loss] as const) },
    { name: "regulariser", colour: "#c0392b", values: rows.map((r) => [r.epoch, r.regularization] as const) },
  ].map((s) => ({ ...s, values: s.values.filter(([, v]) => Number.isFinite(v) && v > 0) })).filter((s) => s.values.length > 0);
  const all = series.flatMap((s) => s.values.map(([, v]) => v));
  // Whole decades, at least one, around everything drawn.
  const lo = all.length ? Math.floor(Math.log10(Math.min(...all))) : -1;
  const hi = all.length ? Math.max(lo + 1, Math.ceil(Math.log10(Math.max(...all)))) : 0;
  const maxEpoch = Math.max(1, ...rows.map((r) => r.epoch));
  const x = (e: number) => X0 + (e / maxEpoch) * PW;
  const y = (v: number) => Y0 + ((hi - Math.log10(v)) / (hi - lo)) * PH;
  const text = (tx: number, ty: number, s: string, extra = "") => `<text x="${tx}" y="${ty}" ${extra.includes("font-size") ? "" : 'font-size="13" '}${extra}>${esc(s)}</text>`;
  const parts: string[] = [];
  const step = Math.max(1, Math.ceil((hi - lo) / 10));
  for (let d = lo; d <= hi; d += step) {
    parts.push(`<line x1="${X0}" x2="${X0 + PW}" y1="${y(10 ** d)}" y2="${y(10 ** d)}" stroke="#ddd"/>`, text(X0 - 48, y(10 ** d) + 4, `1e${d}`));
  }
  for (let k = 0; k <= 4; k++) {
    const e = Math.round((k * maxEpoch) / 4);
    parts.push(text(x(e) - 8, Y0 + PH + 18, String(e)));
  }
  series.forEach((s, i) => {
    const points = s.values.map(([e, v]) => `${x(e).toFixed(1)},${y(v).toFixed(1)}`).join(" ");
    parts.push(`<polyline fill="none" stroke="${s.colour}" stroke-width="1.5" points="${points}"/>`);
    parts.push(`<line x1="${X0 + PW - 150}" x2="${X0 + PW - 125}" y1="${Y0 + 16 + i * 18}" y2="${Y0 + 16 + i * 18}" stroke="${s.colour}" stroke-width="2"/>`);
    parts.push(text(X0 + PW - 118, Y0 + 20 + i * 18, s.name));
  });
  const last = rows[rows.length - 1];
  const subtitle = last ? `epoch ${last.epoch}: loss ${last.loss.toExponential(3)}${rows[0] && rows[0].loss > 0 ? ` (${(last.loss / rows[0].loss).toExponential(2)} of the first epoch's)` : ""}` : "no epochs yet";
  const width = X0 + PW + 30, height = Y0 + PH + 50;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    text(X0, 22, `${title}: training loss per epoch`, 'font-size="17" font-weight="bold"'),
    text(X0, 40, subtitle),
    ...parts,
    `<rect x="${X0}" y="${Y0}" width="${PW}" height="${PH}" fill="none" stroke="black"/>`,
    text(X0 + PW / 2 - 20, Y0 + PH + 38, "epoch"),
    "</svg>",
  ].join("\n");
}

export function lossCurvePng(title: string, rows: readonly LossRow[]): Uint8Array {
  return svgToPng(lossCurveSvg(title, rows));
}
