/**
 * Human messages for parse errors: how tokens are named ("'{'", "a number", "end of file"), what each rule
 * expects, and the context ("after the layer name"). Chevrotain calls `messageProvider`; the parser turns
 * its exceptions into P001 diagnostics.
 */
import { EOF, tokenMatcher, type IParserErrorMessageProvider, type IToken, type TokenType } from "chevrotain";
import { editDistance } from "../util/edit-distance.js";
import * as T from "./tokens.js";

/** How an expected token type is named: `'{'`, `'layer'`, `an identifier`, `a number`. */
export function describeType(type: TokenType): string {
  switch (type) {
    case EOF:
      return "end of file";
    case T.Ident:
    case T.Name:
    case T.GroupWord:
      return "an identifier";
    case T.NumberLit:
      return "a number";
    case T.IrrepTermTok:
      return "an irreps literal such as 16x1o";
    case T.StringLit:
      return "a string";
  }
  return type.LABEL ?? `'${type.name}'`;
}

/** How a token that was found is named: `'->'`, `'h1'`, `the string "a"`, `end of file`. */
export function describeToken(token: IToken | undefined): string {
  if (token === undefined || token.tokenType === EOF) return "end of file";
  if (tokenMatcher(token, T.StringLit)) return `the string ${T.clip(printable(token.image))}`;
  if (token.tokenType === T.Placeholder) return "'…'";
  return `'${T.clip(printable(token.image))}'`;
}

function printable(text: string): string {
  return text.replace(/[\u0000-\u001f\u007f]/g, (c) => `\\x${c.charCodeAt(0).toString(16).padStart(2, "0")}`);
}

/** What a rule expects when it wants a given token, where the bare token name says too little. */
const EXPECTED: Record<string, string> = {
  "model:Ident": "a model name",
  "layerDecl:Ident": "a layer name",
  "edgeDecl:Ident": "a name for the edge attribute",
  "outputDecl:Ident": "a name",
  "inputDecl:Ident": "an input name",
  "targetDecl:Ident": "a target name",
  "group:GroupWord": "a group name such as D4h or O(3)",
  "group:Number": "a number such as 3",
  "call:Ident": "a call such as bessel(count: 8)",
  "call:RParen": "',' or ')'",
  "tuple:RParen": "',' or ')'",
  "list:RBracket": "',' or ']'",
  "irreps:IrrepTerm": "an irrep term such as 16x1o",
  "setting:Ident": "a setting name",
};

/** Right after `(`, `[` or `,` of an argument list or list, the closing bracket or another item. */
const OPEN_LIST: Record<string, string> = {
  "call:RParen": "an argument or ')'",
  "list:RBracket": "a value or ']'",
};

function openList(previous: IToken | undefined): boolean {
  return previous !== undefined && (previous.tokenType === T.LParen || previous.tokenType === T.LBracket || previous.tokenType === T.Comma);
}

/** Rules that start with `keyword name`: a mismatch right after the name says "after the layer name". */
const NAMED: Record<string, [TokenType, string]> = {
  model: [T.Model, "the model name"],
  layerDecl: [T.Layer, "the layer name"],
  edgeDecl: [T.Edge, "the edge attribute's name"],
  outputDecl: [T.Output, "the output name"],
  inputDecl: [T.Input, "the input name"],
  targetDecl: [T.Target, "the target name"],
};

function after(previous: IToken | undefined, ruleName: string): string {
  if (previous === undefined || previous.tokenType === EOF || previous.image === "" || Number.isNaN(previous.startOffset)) return "";
  const named = NAMED[ruleName];
  if (named && tokenMatcher(previous, T.Ident) && previous.tokenType !== named[0]) return ` after ${named[1]}`;
  return ` after ${describeToken(previous)}`;
}

export const messageProvider: IParserErrorMessageProvider = {
  buildMismatchTokenMessage({ expected, actual, previous, ruleName }) {
    const what = (openList(previous) && OPEN_LIST[`${ruleName}:${expected.name}`]) || EXPECTED[`${ruleName}:${expected.name}`] || describeType(expected);
    return `expected ${what}${after(previous, ruleName)}, found ${describeToken(actual)}`;
  },
  buildNotAllInputParsedMessage({ firstRedundant }) {
    return `unexpected ${describeToken(firstRedundant)}`;
  },
  buildNoViableAltMessage({ expectedPathsPerAlt, actual, previous, customUserDescription, ruleName }) {
    const what = customUserDescription ?? listFirst(expectedPathsPerAlt.flat());
    return `expected ${what}${after(previous, ruleName)}, found ${describeToken(actual[0])}`;
  },
  buildEarlyExitMessage({ expectedIterationPaths, actual, previous, customUserDescription, ruleName }) {
    const what = customUserDescription ?? listFirst(expectedIterationPaths);
    return `expected ${what}${after(previous, ruleName)}, found ${describeToken(actual[0])}`;
  },
};

function listFirst(paths: TokenType[][]): string {
  const names = [...new Set(paths.filter((p) => p.length > 0).map((p) => describeType(p[0])))];
  if (names.length <= 1) return names[0] ?? "something else";
  return `${names.slice(0, -1).join(", ")} or ${names[names.length - 1]}`;
}

/** Declaration keywords, for "did you mean layer?" on a misspelt one. */
export const DECL_WORDS = ["symmetry", "graph", "input", "target", "edge", "layer", "output", "train"];

/** A close keyword for a misspelt word (edit distance at most 2, and less than half the word), or undefined. */
export function closeWord(word: string, candidates: readonly string[]): string | undefined {
  if (word.length > 32) return undefined;
  let best: string | undefined, bestDistance = Infinity;
  for (const c of candidates) {
    const d = editDistance(word.toLowerCase(), c);
    if (d < bestDistance) [best, bestDistance] = [c, d];
  }
  return bestDistance > 0 && bestDistance <= Math.min(2, Math.floor(word.length / 2)) ? best : undefined;
}
