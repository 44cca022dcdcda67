/** The live loss curve: loss (solid) and θ's regulariser (dashed) per epoch on a log axis, drawn on a canvas. */
import type { LossRow } from "./loss-row.js";

export function drawLossPlot(canvas: HTMLCanvasElement, rows: readonly LossRow[], epochs: number): void {
  const dpr = window.devicePixelRatio || 1;
  const cssW = canvas.clientWidth || canvas.width, cssH = canvas.clientHeight || canvas.height;
  if (canvas.width !== Math.round(cssW * dpr)) { canvas.width = Math.round(cssW * dpr); canvas.height = Math.round(cssH * dpr); }
  const g = canvas.getContext("2d");
  if (!g) return;
  g.setTransform(dpr, 0, 0, dpr, 0, 0);
  g.clearRect(0, 0, cssW, cssH);
  const left = 58, right = 12, top = 10, bottom = 28;
  const w = cssW - left - right, h = cssH - top - bottom;
  g.strokeStyle = "#999";
  g.strokeRect(left, top, w, h);
  const values = rows.flatMap((r) => [r.loss, r.regularization]).filter((v) => v > 0 && Number.isFinite(v));
  g.fillStyle = "#555";
  g.font = "12px sans-serif";
  if (values.length === 0) {
    g.fillText("no epochs yet", left + 10, top + 20);
    return;
  }
  let lo = Math.floor(Math.log10(Math.min(...values))), hi = Math.ceil(Math.log10(Math.max(...values)));
  if (hi === lo) hi = lo + 1;
  const xMax = Math.max(epochs, rows.length, 1);
  const x = (epoch: number) => left + (epoch / xMax) * w;
  const y = (v: number) => top + ((hi - Math.log10(v)) / (hi - lo)) * h;
  const step = Math.max(1, Math.ceil((hi - lo) / 8));
  for (let p = lo; p <= hi; p += step) {
    g.strokeStyle = "#eee";
    g.beginPath(); g.moveTo(left, y(10 ** p)); g.lineTo(left + w, y(10 ** p)); g.stroke();
    g.fillText(`1e${p}`, 8, y(10 ** p) + 4);
  }
  g.fillText("0", left - 3, top + h + 16);
  g.fillText(`epoch ${xMax}`, left + w - 64, top + h + 16);
  const line = (key: "loss" | "regularization", colour: string, dash: number[]) => {
    g.strokeStyle = colour;
    g.setLineDash(dash);
    g.lineWidth = 1.5;
    g.beginPath();
    let pen = false;
    for (const r of rows) {
      const v = r[key];
      if (!(v > 0) || !Number.isFinite(v)) { pen = false; continue; }
      if (pen) g.lineTo(x(r.epoch), y(v)); else g.moveTo(x(r.epoch), y(v));
      pen = true;
    }
    g.stroke();
    g.setLineDash([]);
  };
  line("loss", "#1f5fbf", []);
  line("regularization", "#c0392b", [5, 4]);
}
