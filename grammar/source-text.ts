/**
 * Spec files are UTF-8 text. A file that is not (an image, an archive, a UTF-16 file) would otherwise be
 * lexed as hundreds of unexpected characters; it is refused here with one diagnostic (E132) instead.
 */
import { error, type Diagnostic } from "./diagnostic.js";
import { LineIndex } from "./span.js";

const HINT = "a spec is UTF-8 text; is this the right file?";

/**
 * The text of a spec file's bytes (a UTF-8 byte order mark dropped) and, when they are not UTF-8 text, the
 * one diagnostic that says so. `text` is then the bytes decoded with replacement characters, for the excerpt.
 */
export function decodeSpec(bytes: Uint8Array): { text: string; diagnostic?: Diagnostic } {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(bom);
  const lossy = new TextDecoder("utf-8", { fatal: false, ignoreBOM: true }).decode(body);
  const bad = firstInvalidUtf8(body);
  if (bad === -1) return { text: lossy, diagnostic: notText(lossy) };
  // The bytes before the first bad one are valid UTF-8, so they decode to exactly the text before it.
  const at = new TextDecoder("utf-8", { ignoreBOM: true }).decode(body.subarray(0, bad)).length;
  const utf16 = (body[0] === 0xff && body[1] === 0xfe) || (body[0] === 0xfe && body[1] === 0xff);
  const message = utf16 ? "not a text file: it is UTF-16 (it starts with a UTF-16 byte order mark)" : `not a text file: invalid UTF-8 at byte offset ${bad + bom}`;
  const lines = new LineIndex(lossy);
  return { text: lossy, diagnostic: error("E132", message, lines.span(at, at + 1), utf16 ? "save the spec as UTF-8" : HINT) };
}

/** E132 for text with a NUL character (no text file has one; most binary files do), else undefined. */
export function notText(text: string): Diagnostic | undefined {
  const nul = text.indexOf("\u0000");
  if (nul === -1) return undefined;
  return error("E132", "not a text file: it contains a NUL character (U+0000)", new LineIndex(text).span(nul, nul + 1), HINT);
}

/** The index of the first byte that does not belong to a well-formed UTF-8 sequence, or -1. */
function firstInvalidUtf8(b: Uint8Array): number {
  for (let i = 0; i < b.length; ) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      continue;
    }
    // Lead byte: how many continuation bytes follow, and the allowed range of the first one (no overlong
    // forms, no surrogates, nothing above U+10FFFF).
    const [n, lo, hi] =
      c >= 0xc2 && c <= 0xdf ? [1, 0x80, 0xbf]
      : c === 0xe0 ? [2, 0xa0, 0xbf]
      : c === 0xed ? [2, 0x80, 0x9f]
      : c >= 0xe1 && c <= 0xef ? [2, 0x80, 0xbf]
      : c === 0xf0 ? [3, 0x90, 0xbf]
      : c >= 0xf1 && c <= 0xf3 ? [3, 0x80, 0xbf]
      : c === 0xf4 ? [3, 0x80, 0x8f]
      : [0, 0, 0];
    if (n === 0) return i;
    for (let k = 1; k <= n; k++) {
      const x = b[i + k];
      if (x === undefined || x < (k === 1 ? lo : 0x80) || x > (k === 1 ? hi : 0xbf)) return i;
    }
    i += n + 1;
  }
  return -1;
}
