/** Text content escaped for SVG (names in titles come from specs). Apart from svg-png.ts so browsers can use it. */
export const escapeSvg = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
