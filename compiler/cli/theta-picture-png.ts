/** The θ picture as PNG (Node-only: resvg); theta-picture.ts draws it and stays browser-safe. */
import type { DetectedSymmetry } from "../o3/detect-symmetry.js";
import { svgToPng } from "./svg-png.js";
import { thetaPictureSvg } from "./theta-picture.js";

export function thetaPicturePng(title: string, theta: ArrayLike<number>, irreps: string, detected: DetectedSymmetry): Uint8Array {
  return svgToPng(thetaPictureSvg(title, theta, irreps, detected));
}
