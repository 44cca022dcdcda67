/**
 * CST -> AST. The CST may be partial (error recovery): a declaration missing a part it cannot do without is
 * dropped, optional parts that are missing are left out, and tokens made up by recovery never reach the AST
 * except as an empty name with a zero-width span. Stray runs and missing closing braces become diagnostics
 * here (P001, P002, P005), as do repeated symmetry options (P006).
 */
import { EOF, tokenMatcher, type CstElement, type CstNode, type IToken } from "chevrotain";
import type * as A from "./ast.js";
import { error, type Diagnostic } from "./diagnostic.js";
import { closeWord, DECL_WORDS, describeToken } from "./messages.js";
import type { LineIndex } from "./span.js";
import * as T from "./tokens.js";

function isToken(e: CstElement | undefined): e is IToken {
  return e !== undefined && "image" in e;
}

/** A token that is really in the source (not made up by single-token insertion). */
function real(t: IToken | undefined): t is IToken {
  return t !== undefined && t.isInsertedInRecovery !== true && Number.isFinite(t.startOffset);
}

function tok(node: CstNode, label: string, i = 0): IToken | undefined {
  const e = node.children[label]?.[i];
  return isToken(e) ? e : undefined;
}

function sub(node: CstNode, label: string, i = 0): CstNode | undefined {
  const e = node.children[label]?.[i];
  return e !== undefined && !isToken(e) ? e : undefined;
}

function subs(node: CstNode, label: string): CstNode[] {
  return (node.children[label] ?? []).filter((e): e is CstNode => !isToken(e));
}

export class AstBuilder {
  readonly diagnostics: Diagnostic[] = [];

  /** `tokens`: the token vector the parser saw, to name what follows an unclosed block. */
  constructor(
    private readonly lines: LineIndex,
    private readonly tokens: readonly IToken[],
  ) {}

  private tokenSpan(t: IToken): A.Span {
    return this.lines.span(t.startOffset, T.tokenEnd(t));
  }

  /** The span of all real tokens under a CST node, or undefined if it has none. */
  private cstSpan(node: CstNode): A.Span | undefined {
    let start = Infinity, end = -Infinity;
    const visit = (n: CstNode): void => {
      for (const list of Object.values(n.children)) {
        for (const e of list) {
          if (isToken(e)) {
            if (real(e)) {
              start = Math.min(start, e.startOffset);
              end = Math.max(end, T.tokenEnd(e));
            }
          } else visit(e);
        }
      }
    };
    visit(node);
    return start === Infinity ? undefined : this.lines.span(start, end);
  }

  /** The first token at or after an offset (end of file if none). */
  private tokenAt(offset: number): IToken | undefined {
    let lo = 0, hi = this.tokens.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.tokens[mid].startOffset < offset) lo = mid + 1;
      else hi = mid;
    }
    return this.tokens[lo];
  }

  private spanOfFound(t: IToken | undefined): A.Span {
    return t === undefined || t.tokenType === EOF ? this.lines.end() : this.tokenSpan(t);
  }

  private ident(t: IToken): A.Identifier {
    return { kind: "Identifier", name: t.image, span: this.tokenSpan(t) };
  }

  /** The name after a keyword; an empty zero-width name right after the keyword if recovery made it up. */
  private nameAfter(t: IToken | undefined, keyword: IToken | undefined): A.Identifier | undefined {
    if (real(t)) return this.ident(t);
    if (!real(keyword)) return undefined;
    const at = T.tokenEnd(keyword);
    return { kind: "Identifier", name: "", span: this.lines.span(at, at) };
  }

  // ---- file, model ------------------------------------------------------------------------------------

  file(cst: CstNode): A.SpecFile {
    const models: A.ModelDecl[] = [];
    for (const m of subs(cst, "model")) {
      const model = this.model(m);
      if (model) models.push(model);
    }
    for (const s of subs(cst, "topStray")) {
      const t = tok(s, "NotModel");
      if (!real(t)) continue;
      const declWord = T.DECL_KEYWORDS.includes(t.tokenType);
      const hint = declWord ? "declarations go inside a model: model Name { ... }" : "a spec is model Name { declarations }";
      this.diagnostics.push(error("P005", `unexpected ${describeToken(t)} outside a model; expected 'model'`, this.tokenSpan(t), hint));
    }
    return { kind: "SpecFile", models, span: this.lines.span(0, this.lines.source.length) };
  }

  private model(node: CstNode): A.ModelDecl | undefined {
    const span = this.cstSpan(node);
    const keyword = tok(node, "keyword");
    const name = this.nameAfter(tok(node, "name"), keyword);
    if (!span || !name) return undefined;
    const body: A.Declaration[] = [];
    for (const d of subs(node, "decl")) {
      const decl = this.decl(d);
      if (decl) body.push(decl);
    }
    for (const s of subs(node, "stray")) this.declStray(s);
    if (!real(tok(node, "RCurly"))) {
      const found = this.tokenAt(span.endOffset);
      const which = name.name === "" ? "the model" : `model '${T.clip(name.name)}'`;
      this.diagnostics.push(error("P001", `expected '}' to close ${which}, found ${describeToken(found)}`, this.spanOfFound(found)));
    }
    return { kind: "Model", name, body, span };
  }

  private declStray(node: CstNode): void {
    const t = tok(node, "NotDeclStart");
    if (!real(t)) return;
    const near = tokenMatcher(t, T.Ident) ? closeWord(t.image, DECL_WORDS) : undefined;
    const hint =
      near !== undefined
        ? `did you mean ${near}?`
        : t.tokenType === T.Relax
          ? "write symmetry relax to <group>"
          : undefined;
    this.diagnostics.push(
      error(
        "P002",
        `unexpected ${describeToken(t)} at the start of a declaration; expected symmetry, graph, input, target, edge, layer, output, train or '}'`,
        this.tokenSpan(t),
        hint,
      ),
    );
  }

  private decl(node: CstNode): A.Declaration | undefined {
    switch (node.name) {
      case "symmetryDecl":
        return this.symmetry(node);
      case "graphDecl":
        return this.graph(node);
      case "inputDecl":
      case "targetDecl":
        return this.field(node);
      case "edgeDecl":
        return this.edge(node);
      case "layerDecl":
        return this.layer(node);
      case "outputDecl":
        return this.output(node);
      case "trainBlock":
        return this.train(node);
    }
    return undefined;
  }

  // ---- declarations -----------------------------------------------------------------------------------

  private symmetry(node: CstNode): A.SymmetryDecl | undefined {
    const span = this.cstSpan(node);
    const groupNode = sub(node, "group");
    const group = groupNode && this.group(groupNode);
    if (!span || !group) return undefined;
    const decl: A.SymmetryDecl = { kind: "Symmetry", group, relax: real(tok(node, "KW_relax")), span };
    const once = (keyword: string, value: string): CstElement | undefined => {
      const values = node.children[value] ?? [];
      for (let i = 1; i < values.length; i++) {
        const k = tok(node, keyword, i);
        if (real(k)) this.diagnostics.push(error("P006", `'${k.image}' is given more than once in this symmetry declaration`, this.tokenSpan(k), "keep one"));
      }
      return values[0];
    };
    const axis = once("KW_axis", "axisValue"), secondary = once("KW_secondary", "secondaryValue");
    const lmax = once("KW_lmax", "lmaxValue"), mul = once("KW_mul", "mulValue");
    if (axis && !isToken(axis)) decl.axis = this.tuple(axis);
    if (secondary && !isToken(secondary)) decl.secondary = this.tuple(secondary);
    if (isToken(lmax) && real(lmax)) decl.lmax = this.number(lmax);
    if (isToken(mul) && real(mul)) decl.mul = this.number(mul);
    if (decl.axis === undefined) delete decl.axis;
    if (decl.secondary === undefined) delete decl.secondary;
    return decl;
  }

  private group(node: CstNode): A.GroupName | undefined {
    const name = tok(node, "name");
    const span = this.cstSpan(node);
    if (!real(name) || !span) return undefined;
    const n = tok(node, "Number"), close = tok(node, "RParen");
    const text = real(n) && real(close) ? `${name.image}(${n.image})` : name.image;
    return { kind: "GroupName", name: text, span };
  }

  private graph(node: CstNode): A.GraphDecl | undefined {
    const mode = tok(node, "mode");
    const span = this.cstSpan(node);
    if (!real(mode) || !span) return undefined;
    const decl: A.GraphDecl = { kind: "Graph", mode: mode.image as A.GraphMode, modeSpan: this.tokenSpan(mode), span };
    const radius = tok(node, "radius"), max = tok(node, "maxNeighbors"), k = tok(node, "k");
    if (real(radius)) decl.radius = this.number(radius);
    if (real(max)) decl.maxNeighbors = this.number(max);
    if (real(k)) decl.k = this.number(k);
    return decl;
  }

  private field(node: CstNode): A.FieldDecl | undefined {
    const span = this.cstSpan(node);
    const keyword = tok(node, "keyword");
    const name = this.nameAfter(tok(node, "name"), keyword);
    const irrepsNode = sub(node, "irreps");
    const typeName = tok(node, "typeName");
    const type = irrepsNode ? this.irreps(irrepsNode) : real(typeName) ? this.ident(typeName) : undefined;
    if (!span || !name || !type) return undefined;
    const decl: A.FieldDecl = { kind: node.name === "inputDecl" ? "Input" : "Target", name, type, span };
    this.domainOf(node, decl);
    return decl;
  }

  private domainOf(node: CstNode, decl: A.FieldDecl | A.OutputDecl): void {
    const d = sub(node, "domain");
    const word = d && tok(d, "word");
    if (real(word)) {
      decl.domain = word.image as A.Domain;
      decl.domainSpan = this.tokenSpan(word);
    }
  }

  private edge(node: CstNode): A.EdgeDecl | undefined {
    const span = this.cstSpan(node);
    const name = this.nameAfter(tok(node, "name"), tok(node, "keyword"));
    const callNode = sub(node, "call");
    const value = callNode && this.call(callNode);
    if (!span || !name || !value) return undefined;
    return { kind: "Edge", name, value, span };
  }

  private layer(node: CstNode): A.LayerDecl | undefined {
    const span = this.cstSpan(node);
    const name = this.nameAfter(tok(node, "name"), tok(node, "keyword"));
    const callNode = sub(node, "call");
    const value = callNode && this.call(callNode);
    if (!span || !name || !value) return undefined;
    const decl: A.LayerDecl = { kind: "Layer", name, value, span };
    const out = sub(node, "irreps");
    const output = out && this.irreps(out);
    if (output) decl.output = output;
    return decl;
  }

  private output(node: CstNode): A.OutputDecl | undefined {
    const span = this.cstSpan(node);
    const name = this.nameAfter(tok(node, "name"), tok(node, "keyword"));
    const source = tok(node, "source");
    if (!span || !name || !real(source)) return undefined;
    const decl: A.OutputDecl = { kind: "Output", name, source: this.ident(source), span };
    this.domainOf(node, decl);
    return decl;
  }

  private train(node: CstNode): A.TrainBlock | undefined {
    const span = this.cstSpan(node);
    if (!span) return undefined;
    const settings: A.Setting[] = [];
    for (const s of subs(node, "setting")) {
      const setting = this.setting(s);
      if (setting) settings.push(setting);
    }
    for (const s of subs(node, "stray")) {
      const t = tok(s, "NotSettingStart");
      if (real(t)) {
        this.diagnostics.push(error("P001", `expected a setting (name: value) or '}', found ${describeToken(t)}`, this.tokenSpan(t), "a setting is written like epochs: 100"));
      }
    }
    if (!real(tok(node, "RCurly"))) {
      const found = this.tokenAt(span.endOffset);
      this.diagnostics.push(error("P001", `expected '}' to close the train block, found ${describeToken(found)}`, this.spanOfFound(found)));
    }
    return { kind: "Train", settings, span };
  }

  private setting(node: CstNode): A.Setting | undefined {
    const span = this.cstSpan(node);
    const key = tok(node, "key");
    const valueNode = sub(node, "expr");
    const value = valueNode && this.expr(valueNode);
    if (!span || !real(key) || !value) return undefined;
    return { kind: "Setting", key: this.ident(key), value, span };
  }

  // ---- expressions ------------------------------------------------------------------------------------

  private number(t: IToken): A.NumberLiteral {
    return { kind: "Number", value: Number(t.image), text: t.image, span: this.tokenSpan(t) };
  }

  private call(node: CstNode): A.Call | undefined {
    const span = this.cstSpan(node);
    const callee = tok(node, "callee");
    if (!span || !real(callee)) return undefined;
    const args: A.Argument[] = [];
    for (const a of subs(node, "arg")) {
      const arg = this.arg(a);
      if (arg) args.push(arg);
    }
    return { kind: "Call", callee: this.ident(callee), args, span };
  }

  private arg(node: CstNode): A.Argument | undefined {
    const span = this.cstSpan(node);
    const valueNode = sub(node, "expr");
    const value = valueNode && this.expr(valueNode);
    if (!span || !value) return undefined;
    const name = tok(node, "name");
    return real(name) ? { kind: "Argument", name: this.ident(name), value, span } : { kind: "Argument", value, span };
  }

  private expr(node: CstNode): A.Expression | undefined {
    const c = node.children;
    const number = tok(node, "Number"), string = tok(node, "String"), ident = tok(node, "Ident");
    if (real(number)) return this.number(number);
    if (real(string)) return { kind: "String", value: T.stringValue(string.image), span: this.tokenSpan(string) };
    if (real(ident)) return ident.tokenType === T.Placeholder ? { kind: "Identifier", name: "…", span: this.tokenSpan(ident) } : this.ident(ident);
    const inner = c.irreps ? sub(node, "irreps") : c.tuple ? sub(node, "tuple") : c.list ? sub(node, "list") : c.call ? sub(node, "call") : undefined;
    if (!inner) return undefined;
    switch (inner.name) {
      case "irreps":
        return this.irreps(inner);
      case "tuple":
        return this.tuple(inner);
      case "list":
        return this.list(inner);
      case "call":
        return this.call(inner);
    }
    return undefined;
  }

  private irreps(node: CstNode): A.IrrepsLiteral | undefined {
    const span = this.cstSpan(node);
    const terms: A.IrrepTerm[] = [];
    for (const t of node.children["term"] ?? []) {
      if (!isToken(t) || !real(t)) continue;
      const parts = T.irrepParts(t.image) ?? { mul: 1, l: 0, p: 1 as const };
      terms.push({ kind: "IrrepTerm", ...parts, text: t.image, span: this.tokenSpan(t) });
    }
    if (!span || terms.length === 0) return undefined;
    return { kind: "Irreps", terms, span };
  }

  private items(node: CstNode): A.Expression[] {
    const items: A.Expression[] = [];
    for (const e of subs(node, "item")) {
      const item = this.expr(e);
      if (item) items.push(item);
    }
    return items;
  }

  private tuple(node: CstNode): A.TupleLiteral | undefined {
    const span = this.cstSpan(node);
    return span && { kind: "Tuple", items: this.items(node), span };
  }

  private list(node: CstNode): A.ListLiteral | undefined {
    const span = this.cstSpan(node);
    return span && { kind: "List", items: this.items(node), span };
  }
}
