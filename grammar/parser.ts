/**
 * The .regnn parser: a Chevrotain CstParser with error recovery. Repetitions never fail: a token that cannot
 * start what the loop expects is swallowed by a "stray" rule (reported later as P002/P005/P001), so one bad
 * line costs one diagnostic and the rest of the file is still parsed. Closing braces of `model { }` and
 * `train { }` are optional in the grammar; their absence is reported by the AST builder, which keeps the
 * partial model.
 */
import { CstParser, EOF, tokenMatcher, type CstNode, type IRecognitionException, type IToken, type TokenType } from "chevrotain";
import { messageProvider } from "./messages.js";
import { LineIndex } from "./span.js";
import * as T from "./tokens.js";

/** The most tokens of lookahead any decision needs (`name :` vs a value, `, arg` vs `, )`). */
const MAX_LOOKAHEAD = 3;

/** The Chevrotain internal that the re-sync tweak below relies on (present in 11.x, not in its typings). */
interface RecoveryInternals {
  flattenFollowSet(): TokenType[];
}

export class RegnnParser extends CstParser {
  constructor() {
    super(T.ALL_TOKENS, { recoveryEnabled: true, maxLookahead: MAX_LOOKAHEAD, errorMessageProvider: messageProvider });
    this.performSelfAnalysis();
  }

  /** Parses a token vector; the CST is best-effort, `errors` lists what went wrong. */
  parse(tokens: IToken[], lines: LineIndex): { cst: CstNode; errors: IRecognitionException[] } {
    this.lines = lines;
    this.input = tokens;
    const cst = this.file();
    return { cst, errors: this.errors };
  }

  private lines = new LineIndex("");

  /** True when LA(1) starts on the line where LA(0) ends: a stray run stops at the end of its line. */
  private sameLine(): boolean {
    const prev = this.LA(0), next = this.LA(1);
    if (next.tokenType === EOF || !Number.isFinite(prev.startOffset)) return false;
    return this.lines.position(T.tokenEnd(prev)).line === this.lines.position(next.startOffset).line;
  }

  // ---- recovery tweaks ---------------------------------------------------------------------------------

  /**
   * Chevrotain re-syncs to the first token that *some* rule on the stack can continue with, but it picks the
   * outermost rule's follow set first, which would end the whole model at the first bad token. Prefer the
   * innermost rule: the declaration that failed resumes at the next token it can.
   */
  findReSyncTokenType(): TokenType {
    const follows = (this as unknown as RecoveryInternals).flattenFollowSet().slice().reverse();
    for (let k = 1; ; k++) {
      const token = this.LA(k);
      const match = follows.find((type) => tokenMatcher(token, type));
      if (match !== undefined) return match;
      if (token.tokenType === EOF) return EOF;
    }
  }

  /** Only punctuation and names are made up in recovery (a made-up number would be a wrong value). */
  protected override canTokenTypeBeInsertedInRecovery(type: TokenType): boolean {
    return type !== T.NumberLit && type !== T.StringLit && type !== T.IrrepTermTok;
  }

  /** `name :` ahead: never a value (a value is never followed by ':'), so `a:` after `epochs:` ends it. */
  private notSettingAhead(): boolean {
    return !tokenMatcher(this.LA(2), T.Colon);
  }

  /** A declaration keyword not followed by ':' ends a `train { }` whose '}' is missing. */
  private inTrainBody(): boolean {
    const t = this.LA(1);
    return !((t.tokenType === T.Model || T.DECL_KEYWORDS.includes(t.tokenType)) && !tokenMatcher(this.LA(2), T.Colon));
  }

  // ---- file and model ---------------------------------------------------------------------------------

  file = this.RULE("file", () => {
    this.MANY(() => {
      this.OR([{ ALT: () => this.SUBRULE(this.model) }, { ALT: () => this.SUBRULE(this.topStray) }]);
    });
  });

  model = this.RULE("model", () => {
    this.CONSUME(T.Model, { LABEL: "keyword" });
    this.CONSUME(T.Ident, { LABEL: "name" });
    this.CONSUME(T.LCurly);
    this.MANY(() => {
      this.OR([
        { ALT: () => this.SUBRULE(this.symmetryDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.graphDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.inputDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.targetDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.edgeDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.layerDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.outputDecl, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.trainBlock, { LABEL: "decl" }) },
        { ALT: () => this.SUBRULE(this.declStray, { LABEL: "stray" }) },
      ]);
      this.OPTION(() => this.CONSUME(T.Semicolon));
    });
    this.OPTION2(() => this.CONSUME(T.RCurly));
  });

  /** Tokens outside any model (P005), up to the next `model`: one report for a whole run. */
  topStray = this.RULE("topStray", () => {
    this.AT_LEAST_ONE(() => this.CONSUME(T.NotModel));
  });

  /** Tokens in a model that cannot start a declaration (P002), up to the end of the line. */
  declStray = this.RULE("declStray", () => {
    this.CONSUME(T.NotDeclStart);
    this.MANY({ GATE: () => this.sameLine(), DEF: () => this.CONSUME2(T.NotDeclStart) });
  });

  // ---- declarations -----------------------------------------------------------------------------------

  symmetryDecl = this.RULE("symmetryDecl", () => {
    this.CONSUME(T.Symmetry);
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Relax);
            this.CONSUME(T.To);
            this.SUBRULE(this.group);
          },
        },
        { ALT: () => this.SUBRULE2(this.group) },
      ],
      ERR_MSG: "a group such as D4h or O(3), or 'relax to' and a group",
    });
    this.MANY(() => {
      this.OR2([
        {
          ALT: () => {
            this.CONSUME(T.Axis);
            this.SUBRULE(this.tuple, { LABEL: "axisValue" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Secondary);
            this.SUBRULE2(this.tuple, { LABEL: "secondaryValue" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Lmax);
            this.CONSUME(T.NumberLit, { LABEL: "lmaxValue" });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Mul);
            this.CONSUME2(T.NumberLit, { LABEL: "mulValue" });
          },
        },
      ]);
    });
  });

  group = this.RULE("group", () => {
    this.CONSUME(T.GroupWord, { LABEL: "name" });
    this.OPTION(() => {
      this.CONSUME(T.LParen);
      this.CONSUME(T.NumberLit);
      this.CONSUME(T.RParen);
    });
  });

  graphDecl = this.RULE("graphDecl", () => {
    this.CONSUME(T.Graph);
    this.OR({
      DEF: [
        {
          ALT: () => {
            this.CONSUME(T.Radius, { LABEL: "mode" });
            this.CONSUME(T.NumberLit, { LABEL: "radius" });
            this.OPTION(() => {
              this.CONSUME(T.MaxNeighbors);
              this.CONSUME2(T.NumberLit, { LABEL: "maxNeighbors" });
            });
          },
        },
        {
          ALT: () => {
            this.CONSUME(T.Knn, { LABEL: "mode" });
            this.CONSUME3(T.NumberLit, { LABEL: "k" });
          },
        },
        { ALT: () => this.CONSUME(T.Full, { LABEL: "mode" }) },
        { ALT: () => this.CONSUME(T.Edges, { LABEL: "mode" }) },
      ],
      ERR_MSG: "one of radius, knn, full, edges",
    });
  });

  /** `input name: type (per domain)?` and the same for `target`. */
  private fieldBody(keyword: TokenType): () => void {
    return () => {
      this.CONSUME(keyword, { LABEL: "keyword" });
      this.CONSUME(T.Ident, { LABEL: "name" });
      this.CONSUME(T.Colon);
      this.OR({
        DEF: [{ ALT: () => this.SUBRULE(this.irreps) }, { ALT: () => this.CONSUME2(T.Ident, { LABEL: "typeName" }) }],
        ERR_MSG: "an irreps literal such as 16x1o, or positions",
      });
      this.OPTION(() => {
        this.CONSUME(T.Per);
        this.SUBRULE(this.domain);
      });
    };
  }

  inputDecl = this.RULE("inputDecl", this.fieldBody(T.Input));
  targetDecl = this.RULE("targetDecl", this.fieldBody(T.Target));

  domain = this.RULE("domain", () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.Node, { LABEL: "word" }) },
        { ALT: () => this.CONSUME(T.Edge, { LABEL: "word" }) },
        { ALT: () => this.CONSUME(T.Graph, { LABEL: "word" }) },
      ],
      ERR_MSG: "one of node, edge, graph",
    });
  });

  edgeDecl = this.RULE("edgeDecl", () => {
    this.CONSUME(T.Edge, { LABEL: "keyword" });
    this.CONSUME(T.Ident, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.call);
  });

  layerDecl = this.RULE("layerDecl", () => {
    this.CONSUME(T.Layer, { LABEL: "keyword" });
    this.CONSUME(T.Ident, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.SUBRULE(this.call);
    this.OPTION(() => {
      this.CONSUME(T.Arrow);
      this.SUBRULE(this.irreps);
    });
  });

  outputDecl = this.RULE("outputDecl", () => {
    this.CONSUME(T.Output, { LABEL: "keyword" });
    this.CONSUME(T.Ident, { LABEL: "name" });
    this.CONSUME(T.Equals);
    this.CONSUME2(T.Ident, { LABEL: "source" });
    this.OPTION(() => {
      this.CONSUME(T.Per);
      this.SUBRULE(this.domain);
    });
  });

  trainBlock = this.RULE("trainBlock", () => {
    this.CONSUME(T.Train);
    this.CONSUME(T.LCurly);
    this.MANY({
      GATE: () => this.inTrainBody(),
      DEF: () => {
        this.OR([{ ALT: () => this.SUBRULE(this.setting) }, { ALT: () => this.SUBRULE(this.trainStray, { LABEL: "stray" }) }]);
        this.OPTION(() => this.CONSUME(T.Semicolon));
      },
    });
    this.OPTION2(() => this.CONSUME(T.RCurly));
  });

  /** Tokens in `train { }` that cannot start a setting, up to the end of the line. */
  trainStray = this.RULE("trainStray", () => {
    this.CONSUME(T.NotSettingStart);
    this.MANY({ GATE: () => this.sameLine(), DEF: () => this.CONSUME2(T.NotSettingStart) });
  });

  setting = this.RULE("setting", () => {
    this.CONSUME(T.Ident, { LABEL: "key" });
    this.CONSUME(T.Colon);
    this.SUBRULE(this.expr);
  });

  // ---- expressions ------------------------------------------------------------------------------------

  call = this.RULE("call", () => {
    this.CONSUME(T.Ident, { LABEL: "callee" });
    this.CONSUME(T.LParen);
    this.OPTION(() => {
      this.SUBRULE(this.arg);
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.arg);
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RParen);
  });

  arg = this.RULE("arg", () => {
    this.OPTION(() => {
      this.CONSUME(T.Ident, { LABEL: "name" });
      this.CONSUME(T.Colon);
    });
    this.SUBRULE(this.expr);
  });

  expr = this.RULE("expr", () => {
    this.OR({
      DEF: [
        { ALT: () => this.CONSUME(T.NumberLit) },
        { ALT: () => this.CONSUME(T.StringLit) },
        { ALT: () => this.SUBRULE(this.irreps) },
        { ALT: () => this.SUBRULE(this.tuple) },
        { ALT: () => this.SUBRULE(this.list) },
        { ALT: () => this.SUBRULE(this.call) },
        { GATE: () => this.notSettingAhead(), ALT: () => this.CONSUME(T.Ident) },
      ],
      ERR_MSG: "a value (a number, string, name, call, irreps, tuple or list)",
    });
  });

  irreps = this.RULE("irreps", () => {
    this.CONSUME(T.IrrepTermTok, { LABEL: "term" });
    this.MANY(() => {
      this.CONSUME(T.Plus);
      this.CONSUME2(T.IrrepTermTok, { LABEL: "term" });
    });
  });

  tuple = this.RULE("tuple", () => {
    this.CONSUME(T.LParen);
    this.SUBRULE(this.expr, { LABEL: "item" });
    this.MANY(() => {
      this.CONSUME(T.Comma);
      this.SUBRULE2(this.expr, { LABEL: "item" });
    });
    this.CONSUME(T.RParen);
  });

  list = this.RULE("list", () => {
    this.CONSUME(T.LBracket);
    this.OPTION(() => {
      this.SUBRULE(this.expr, { LABEL: "item" });
      this.MANY(() => {
        this.CONSUME(T.Comma);
        this.SUBRULE2(this.expr, { LABEL: "item" });
      });
      this.OPTION2(() => this.CONSUME2(T.Comma));
    });
    this.CONSUME(T.RBracket);
  });
}

let instance: RegnnParser | undefined;

/** The parser is built once (grammar analysis is the slow part) and reused. */
export function parser(): RegnnParser {
  instance ??= new RegnnParser();
  return instance;
}
