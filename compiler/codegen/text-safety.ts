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
