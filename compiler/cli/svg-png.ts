/**
 * SVG to PNG for the pictures regnn writes (θ maps, loss curves): rasterised with resvg (a maintained
 * renderer) and the DejaVu font shipped in an npm package, so no system fonts are needed and every machine
 * draws the same pixels.
 */
import { Resvg } from "@resvg/resvg-js";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";

export function svgToPng(svg: string): Uint8Array {
  const fontDir = join(dirname(createRequire(import.meta.url).resolve("dejavu-fonts-ttf/package.json")), "ttf");
  const r = new Resvg(svg, {
    font: { fontFiles: [join(fontDir, "DejaVuSans.ttf"), join(fontDir, "DejaVuSans-Bold.ttf")], loadSystemFonts: false, defaultFontFamily: "DejaVu Sans" },
  });
  return r.render().asPng();
}

export { escapeSvg } from "./svg-escape.js";
