/**
 * Strings that reach generated code: a file name in a comment, the plan in a string literal, a spec name as a
 * quoted property key. Each is made inert here, so that no input can end a comment or a literal early:
 * line terminators (U+2028 and U+2029 included: they end a `//` comment in JavaScript and TypeScript) are
 * written as escapes, and a comment never contains its own terminator.
 */

/** Every character JavaScript treats as a line terminator. */
const LINE_TERMINATORS = /[\n\r\u2028\u2029]/g;

const escapeCode = (c: string) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`;

/** Text safe inside a `//` line comment and inside a `/* … *\/` block comment: one line, no `*\/`. */
export function commentText(text: string): string {
  return text.replace(LINE_TERMINATORS, escapeCode).replace(/\*\//g, "*\\/");
}

/** A double-quoted JavaScript/TypeScript string literal of `text`, with U+2028/U+2029 escaped too. */
export function stringLiteral(text: string): string {
  return JSON.stringify(text).replace(/[\u2028\u2029]/g, escapeCode);
}

/** Controls other than tab and line feed, and unpaired surrogates: escaped so the literal's value is exact. */
const TEMPLATE_ESCAPED = /[\x00-\x08\x0b-\x1f\x7f\u2028\u2029]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/**
 * A template literal of multi-line `text` (a WGSL kernel), its lines kept as lines so a reader sees the code.
 * Backslashes, backticks and `${` are escaped, so the text can neither end the literal nor run code; carriage
 * returns are escaped too, since a raw one would be read back as a line feed.
 */
export function templateLiteral(text: string): string {
  return `\`${text.replace(/\\/g, "\\\\").replace(/`/g, "\\`").replace(/\$\{/g, "\\${").replace(/\r/g, "\\r").replace(TEMPLATE_ESCAPED, escapeCode)}\``;
}

/**
 * Text safe inside a WGSL `//` comment (and a `/* … *\/` one): WGSL ends a line comment at more line breaks
 * than JavaScript does (vertical tab, form feed, U+0085 too), so everything outside printable ASCII is written
 * as a `\\u` escape, and `/*` and `*\/` are broken up so a block comment neither nests nor ends.
 */
export function wgslCommentText(text: string): string {
  return text.replace(/[^\x20-\x7e]/g, escapeCode).replace(/\*\//g, "*\\/").replace(/\/\*/g, "/\\*");
}
