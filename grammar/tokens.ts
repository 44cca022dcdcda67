/**
 * The .regnn lexer (Chevrotain): token types, the token categories the parser's recovery is built on, and
 * `lex`, which turns source text into tokens plus lexical diagnostics (L001..L006). Keywords are contextual:
 * every keyword is also an `Ident` (a token category), so the parser accepts it wherever a name is expected.
 */
import { createToken, Lexer, type IToken, type TokenType } from "chevrotain";
import { error, type Diagnostic } from "./diagnostic.js";
import type { LineIndex } from "./span.js";

// ---- categories (never produced by the lexer; they group token types for the parser) --------------------

/** Any name: plain identifiers and every keyword. */
export const Ident = createToken({ name: "Ident", pattern: Lexer.NA });
/** Tokens that cannot start a declaration (and are not `}` or `model`): what a stray run in a model consumes. */
export const NotDeclStart = createToken({ name: "NotDeclStart", pattern: Lexer.NA });
/** Every token but `model`: what a stray run outside a model consumes. */
export const NotModel = createToken({ name: "NotModel", pattern: Lexer.NA });
/** Tokens that cannot start a setting (no name) and are not `}`: what a stray run in `train { }` consumes. */
export const NotSettingStart = createToken({ name: "NotSettingStart", pattern: Lexer.NA });

/** Names that can name a point group: every `Ident` but `relax`, so that `symmetry relax …` is decided by one token. */
export const GroupWord = createToken({ name: "GroupWord", pattern: Lexer.NA });

const OTHER = [NotDeclStart, NotModel, NotSettingStart];
/** Names cannot be stray in `train { }`: a name starts a setting. */
const NAME_OTHER = [NotDeclStart, NotModel];

// ---- skipped ------------------------------------------------------------------------------------------

const WhiteSpace = createToken({ name: "WhiteSpace", pattern: /\s+/, group: Lexer.SKIPPED, line_breaks: true });
const LineComment = createToken({ name: "LineComment", pattern: /\/\/[^\n]*/, group: Lexer.SKIPPED });
const BlockComment = createToken({ name: "BlockComment", pattern: /\/\*[\s\S]*?\*\//, group: Lexer.SKIPPED, line_breaks: true });
/** `/*` without a closing `*\/`: swallows the rest of the file and is reported as L003. */
export const UnterminatedComment = createToken({ name: "UnterminatedComment", pattern: /\/\*[\s\S]*/, group: "unterminated", line_breaks: true });

// ---- literals -----------------------------------------------------------------------------------------

export const StringLit = createToken({ name: "String", pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*"/, categories: OTHER });
/** A string cut off by the end of the line or file (L002); the parser treats it as a string. */
export const UnterminatedString = createToken({
  name: "UnterminatedString",
  pattern: /"(?:[^"\\\n\r]|\\[^\n\r])*\\?/,
  categories: [StringLit, ...OTHER],
});

const WORD_CHAR = "[A-Za-z0-9_\\u221e]";
/** A plain number (no exponent): `2`, `-0.5`, `.5`, `3.`. */
export const NumberLit = createToken({ name: "Number", pattern: /-?(?:\d+(?:\.\d*)?|\.\d+)/, categories: OTHER });
/** A number with an exponent, only when no letter or digit follows, so that `0e+1o` stays irreps. */
const NumberExp = createToken({
  name: "NumberExp",
  pattern: new RegExp(`-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)[eE][+-]?\\d+(?!${WORD_CHAR})`),
  categories: [NumberLit, ...OTHER],
  start_chars_hint: ["-", ".", "0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
});
/** `32x0e`, `1o`, `2y`. */
export const IrrepTermTok = createToken({
  name: "IrrepTerm",
  pattern: new RegExp(`\\d+x\\d+[eoy](?!${WORD_CHAR})|\\d+[eoy](?!${WORD_CHAR})`),
  categories: OTHER,
  start_chars_hint: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
});
/** A number run into letters: `1x`, `2q`, `16x1`, `12abc` (L005). The parser sees a (bad) irrep term. */
export const BadWord = createToken({
  name: "BadWord",
  pattern: new RegExp(`-?(?:\\d+(?:\\.\\d*)?|\\.\\d+)(?:[eE][+-]?\\d+)?[A-Za-z_]${WORD_CHAR}*`),
  categories: [IrrepTermTok, ...OTHER],
});

// ---- names --------------------------------------------------------------------------------------------

/** A plain identifier; `∞` may follow the first character (`C∞v`). */
export const Name = createToken({ name: "Name", pattern: /[A-Za-z_][A-Za-z0-9_\u221e]*/, categories: [Ident, GroupWord, ...NAME_OTHER] });

function keyword(word: string, declStart: boolean): TokenType {
  const names = word === "relax" ? [Ident] : [Ident, GroupWord];
  const categories = word === "model" ? names : declStart ? [...names, NotModel] : [...names, ...NAME_OTHER];
  return createToken({ name: `KW_${word}`, label: `'${word}'`, pattern: new RegExp(word), longer_alt: Name, categories });
}

export const Model = keyword("model", true);
export const Symmetry = keyword("symmetry", true);
export const Graph = keyword("graph", true);
export const Input = keyword("input", true);
export const Target = keyword("target", true);
export const Edge = keyword("edge", true);
export const Layer = keyword("layer", true);
export const Output = keyword("output", true);
export const Train = keyword("train", true);
export const Relax = keyword("relax", false);
export const To = keyword("to", false);
export const Axis = keyword("axis", false);
export const Secondary = keyword("secondary", false);
export const Lmax = keyword("lmax", false);
export const Mul = keyword("mul", false);
export const Radius = keyword("radius", false);
export const MaxNeighbors = keyword("max_neighbors", false);
export const Knn = keyword("knn", false);
export const Full = keyword("full", false);
export const Edges = keyword("edges", false);
export const Per = keyword("per", false);
export const Node = keyword("node", false);

/** The keywords that start a declaration inside a model. */
export const DECL_KEYWORDS: readonly TokenType[] = [Symmetry, Graph, Input, Target, Edge, Layer, Output, Train];
const KEYWORDS: TokenType[] = [
  Model, ...DECL_KEYWORDS, Relax, To, Axis, Secondary, Lmax, Mul, Radius, MaxNeighbors, Knn, Full, Edges, Per, Node,
];

// ---- punctuation --------------------------------------------------------------------------------------

export const LCurly = createToken({ name: "LCurly", pattern: /\{/, label: "'{'", categories: OTHER });
export const RCurly = createToken({ name: "RCurly", pattern: /\}/, label: "'}'", categories: [NotModel] });
export const LParen = createToken({ name: "LParen", pattern: /\(/, label: "'('", categories: OTHER });
export const RParen = createToken({ name: "RParen", pattern: /\)/, label: "')'", categories: OTHER });
export const LBracket = createToken({ name: "LBracket", pattern: /\[/, label: "'['", categories: OTHER });
export const RBracket = createToken({ name: "RBracket", pattern: /\]/, label: "']'", categories: OTHER });
export const Comma = createToken({ name: "Comma", pattern: /,/, label: "','", categories: OTHER });
export const Colon = createToken({ name: "Colon", pattern: /:/, label: "':'", categories: OTHER });
export const Semicolon = createToken({ name: "Semicolon", pattern: /;/, label: "';'", categories: OTHER });
export const Equals = createToken({ name: "Equals", pattern: /=/, label: "'='", categories: OTHER });
export const Arrow = createToken({ name: "Arrow", pattern: /->/, label: "'->'", categories: OTHER });
export const Plus = createToken({ name: "Plus", pattern: /\+/, label: "'+'", categories: OTHER });

/**
 * Stands in for brackets nested too deep (P003): the nesting guard replaces their contents with one of
 * these, so the parser's recursion stays bounded. It is a name, valid wherever a value is.
 */
export const Placeholder = createToken({ name: "Placeholder", pattern: Lexer.NA, categories: [Ident, GroupWord, ...NAME_OTHER] });

/** Order matters: Chevrotain takes the first pattern that matches (longer keywords before shorter ones). */
const LEXED: TokenType[] = [
  WhiteSpace, LineComment, BlockComment, UnterminatedComment,
  StringLit, UnterminatedString,
  NumberExp, IrrepTermTok, BadWord, Arrow, NumberLit,
  ...[...KEYWORDS].sort((a, b) => String(b.PATTERN).length - String(a.PATTERN).length),
  Name,
  LCurly, RCurly, LParen, RParen, LBracket, RBracket, Comma, Colon, Semicolon, Equals, Plus,
];

/** Every token type the parser knows: categories first, then the lexed ones. */
export const ALL_TOKENS: TokenType[] = [Ident, GroupWord, NotDeclStart, NotModel, NotSettingStart, Placeholder, ...LEXED];

const lexer = new Lexer(LEXED, { positionTracking: "onlyOffset", ensureOptimizations: false });

// ---- values -------------------------------------------------------------------------------------------

/** The value of a string token, escapes resolved (unknown escapes keep the escaped character). */
export function stringValue(image: string): string {
  const body = image.endsWith('"') && image.length >= 2 ? image.slice(1, -1) : image.slice(1);
  return body.replace(/\\(u[0-9a-fA-F]{4}|[\s\S]?)/g, (_, e: string) => {
    if (e.length === 5) return String.fromCharCode(parseInt(e.slice(1), 16));
    return e === "n" ? "\n" : e === "t" ? "\t" : e;
  });
}

/** `mul`, `l` and `p` of an irrep term as written; undefined when the text is not a valid term. */
export function irrepParts(text: string): { mul: number; l: number; p: 1 | -1 } | undefined {
  const m = /^(?:(\d+)x)?(\d+)([eoy])$/.exec(text);
  if (!m) return undefined;
  const mul = m[1] === undefined ? 1 : Number(m[1]);
  const l = Number(m[2]);
  const p: 1 | -1 = m[3] === "e" ? 1 : m[3] === "o" ? -1 : l % 2 === 0 ? 1 : -1;
  return { mul, l, p };
}

// ---- lexing -------------------------------------------------------------------------------------------

export interface LexResult {
  tokens: IToken[];
  diagnostics: Diagnostic[];
}

/** Shows a run of unexpected characters: printable ones as they are, others as U+XXXX. */
function showChars(run: string): string {
  const chars = [...run];
  const shown = chars.slice(0, 12).map((c) => {
    const cp = c.codePointAt(0) ?? 0;
    return cp < 0x21 || (cp >= 0x7f && cp <= 0xa0) || (cp >= 0xd800 && cp <= 0xdfff) || cp === 0xfeff || (cp >= 0x2028 && cp <= 0x2029)
      ? `U+${cp.toString(16).toUpperCase().padStart(4, "0")}`
      : c;
  });
  const more = chars.length > 12 ? "…" : "";
  // Printable characters are quoted as they are; with any unprintable one, all are listed as code points.
  if (shown.every((s, i) => s === chars[i])) return `'${shown.join("")}${more}'`;
  return chars.slice(0, 12).map((c) => `U+${(c.codePointAt(0) ?? 0).toString(16).toUpperCase().padStart(4, "0")}`).join(" ") + more;
}

export function lex(source: string, lines: LineIndex): LexResult {
  const result = lexer.tokenize(source);
  const diagnostics: Diagnostic[] = [];
  const span = (start: number, end: number) => lines.span(start, end);

  for (const e of result.errors) {
    const run = source.slice(e.offset, e.offset + e.length);
    const single = [...run].length === 1;
    diagnostics.push(error("L001", `unexpected character${single ? "" : "s"} ${showChars(run)}`, span(e.offset, e.offset + e.length)));
  }
  for (const t of result.groups["unterminated"] ?? []) {
    diagnostics.push(error("L003", "unterminated block comment: '/*' has no closing '*/'", span(t.startOffset, t.startOffset + 2), "close the comment with */"));
  }
  for (const t of result.tokens) {
    const end = tokenEnd(t);
    switch (t.tokenType) {
      case UnterminatedString:
        diagnostics.push(error("L002", "unterminated string: no closing '\"' on this line", span(t.startOffset, end), 'close the string with "'));
        checkEscapes(t, diagnostics, span);
        break;
      case StringLit:
        checkEscapes(t, diagnostics, span);
        break;
      case NumberLit:
      case NumberExp:
        if (!Number.isFinite(Number(t.image))) {
          diagnostics.push(error("L004", `number out of range: ${clip(t.image)} is not a finite double`, span(t.startOffset, end)));
        }
        break;
      case IrrepTermTok: {
        const parts = irrepParts(t.image);
        if (parts && (!Number.isSafeInteger(parts.mul) || !Number.isSafeInteger(parts.l))) {
          diagnostics.push(error("L004", `number out of range in the irrep term ${clip(t.image)}`, span(t.startOffset, end)));
        }
        break;
      }
      case BadWord:
        diagnostics.push(
          error("L005", `malformed number or irrep term '${clip(t.image)}'`, span(t.startOffset, end), "an irrep term is [MULx]LP with parity P one of e, o, y, e.g. 16x1o or 2e"),
        );
        break;
    }
  }
  return { tokens: result.tokens, diagnostics };
}

function checkEscapes(t: IToken, out: Diagnostic[], span: (s: number, e: number) => ReturnType<LineIndex["span"]>): void {
  const re = /\\(u[0-9a-fA-F]{4}|[\s\S]?)/g;
  for (let m = re.exec(t.image); m !== null; m = re.exec(t.image)) {
    const e = m[1];
    if (e === "" || e === '"' || e === "\\" || e === "n" || e === "t" || e.length === 5) continue; // "" only ends an unterminated string
    const start = t.startOffset + m.index;
    const shown = e === "" ? "\\" : `\\${e}`;
    out.push(error("L006", `invalid escape '${shown}' in a string`, span(start, start + 1 + e.length), 'the escapes are \\" \\\\ \\n \\t \\uXXXX'));
  }
}

/** The exclusive end offset of a token (the lexer tracks start offsets only; made-up tokens carry endOffset). */
export function tokenEnd(t: IToken): number {
  return t.endOffset !== undefined && Number.isFinite(t.endOffset) ? t.endOffset + 1 : t.startOffset + t.image.length;
}

/** Long images are cut in messages. */
export function clip(text: string, max = 24): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}
