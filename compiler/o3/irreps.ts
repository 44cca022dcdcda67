/**
 * Irreducible representations of O(3) and direct sums of them, following e3nn's `Irrep` / `Irreps`
 * (string format, ordering, `sort()` and `simplify()` semantics).
 */

export type Parity = 1 | -1;

/** One irrep (l, p): dimension 2l+1, parity p (+1 "e" even, -1 "o" odd). */
export class Irrep {
  readonly l: number;
  readonly p: Parity;

  constructor(l: number, p: Parity) {
    if (!Number.isInteger(l) || l < 0) throw new Error(`Irrep: l must be a non-negative integer, got ${l}`);
    if (p !== 1 && p !== -1) throw new Error(`Irrep: parity must be 1 or -1, got ${String(p)}`);
    this.l = l;
    this.p = p;
  }

  /** Parses "1o", "2e" or "3y" (y: the parity of the spherical harmonics, (-1)^l). */
  static parse(text: string): Irrep {
    const m = /^\s*(\d+)\s*([eoy])\s*$/.exec(text);
    if (!m) throw new Error(`Irrep.parse: '${text}' is not an irrep (expected e.g. 0e, 1o, 2e or 3y)`);
    const l = Number(m[1]);
    const p: Parity = m[2] === "e" ? 1 : m[2] === "o" ? -1 : l % 2 === 0 ? 1 : -1;
    return new Irrep(l, p);
  }

  get dim(): number {
    return 2 * this.l + 1;
  }

  equals(other: { l: number; p: number }): boolean {
    return this.l === other.l && this.p === other.p;
  }

  /** e3nn's order: by l, then odd before even. */
  compare(other: Irrep): number {
    return this.l !== other.l ? this.l - other.l : this.p - other.p;
  }

  /** Irreps in the tensor product of this and `other` (parity and triangle rule), in increasing l. */
  times(other: Irrep): Irrep[] {
    const p = (this.p * other.p) as Parity;
    const out: Irrep[] = [];
    for (let l = Math.abs(this.l - other.l); l <= this.l + other.l; l++) out.push(new Irrep(l, p));
    return out;
  }

  /** True when `out` appears in this ⊗ `other`. */
  couplesTo(other: { l: number; p: number }, out: { l: number; p: number }): boolean {
    return (
      out.p === this.p * other.p && out.l >= Math.abs(this.l - other.l) && out.l <= this.l + other.l
    );
  }

  toString(): string {
    return `${this.l}${this.p === 1 ? "e" : "o"}`;
  }
}

/** One `mul x ir` entry of an `Irreps`. */
export class MulIr {
  readonly mul: number;
  readonly ir: Irrep;

  constructor(mul: number, ir: Irrep) {
    if (!Number.isInteger(mul) || mul < 0) throw new Error(`MulIr: multiplicity must be a non-negative integer, got ${mul}`);
    this.mul = mul;
    this.ir = ir;
  }

  get l(): number {
    return this.ir.l;
  }

  get p(): Parity {
    return this.ir.p;
  }

  get dim(): number {
    return this.mul * this.ir.dim;
  }

  toString(): string {
    return `${this.mul}x${this.ir.toString()}`;
  }
}

export type IrrepsLike = Irreps | string | ReadonlyArray<readonly [number, number, number]> | ReadonlyArray<MulIr>;

/**
 * A direct sum of irreps with multiplicities, in the order written. Like e3nn, nothing is sorted or merged
 * implicitly: the order is the memory layout of a feature vector.
 */
export class Irreps implements Iterable<MulIr> {
  readonly entries: readonly MulIr[];

  constructor(entries: Iterable<MulIr>) {
    this.entries = Object.freeze([...entries]);
  }

  /**
   * Parses e3nn's string format: `"2x0e+1x1o"`, `"0e + 1o"`, `"16x1o"`; the empty string is the empty sum.
   * Accepts an existing `Irreps`, or a list of `[mul, l, p]` triples.
   */
  static parse(source: IrrepsLike): Irreps {
    if (source instanceof Irreps) return source;
    if (typeof source !== "string") {
      return new Irreps(
        source.map((e) => (e instanceof MulIr ? e : new MulIr(e[0], new Irrep(e[1], e[2] as Parity)))),
      );
    }
    const entries: MulIr[] = [];
    if (source.trim() === "") return new Irreps(entries);
    let pos = 0;
    for (const term of source.split("+")) {
      const m = /^(\s*)(?:(\d+)\s*x\s*)?(\d+)\s*([eoy])\s*$/.exec(term);
      if (!m) {
        const lead = term.length - term.trimStart().length;
        const shown = term.trim() === "" ? "an empty term" : `'${term.trim()}'`;
        throw new Error(
          `Irreps.parse: ${shown} at column ${pos + lead + 1} of '${source}' is not an irrep ` +
            `(expected MULxLP such as 16x1o, or LP such as 2e; parity is e, o or y)`,
        );
      }
      const mul = m[2] === undefined ? 1 : Number(m[2]);
      entries.push(new MulIr(mul, Irrep.parse(`${m[3]}${m[4]}`)));
      pos += term.length + 1;
    }
    return new Irreps(entries);
  }

  /** `count x ir` entries, one per (l, p) with l in [0, lmax], ordered as the spherical harmonics (p = (-1)^l). */
  static sphericalHarmonics(lmax: number, p: Parity = -1): Irreps {
    const out: MulIr[] = [];
    for (let l = 0; l <= lmax; l++) out.push(new MulIr(1, new Irrep(l, (p ** l) as Parity)));
    return new Irreps(out);
  }

  [Symbol.iterator](): Iterator<MulIr> {
    return this.entries[Symbol.iterator]();
  }

  get length(): number {
    return this.entries.length;
  }

  get(i: number): MulIr {
    const e = this.entries[i];
    if (e === undefined) throw new RangeError(`Irreps: index ${i} out of range for '${this.toString()}'`);
    return e;
  }

  get dim(): number {
    return this.entries.reduce((s, e) => s + e.dim, 0);
  }

  get numIrreps(): number {
    return this.entries.reduce((s, e) => s + e.mul, 0);
  }

  get lmax(): number {
    if (this.entries.length === 0) throw new Error("Irreps: lmax of an empty Irreps");
    return Math.max(...this.entries.map((e) => e.l));
  }

  /** Start offset of each entry's block in a feature vector (length = entries + 1, last = dim). */
  get offsets(): number[] {
    const out = [0];
    for (const e of this.entries) out.push(out[out.length - 1]! + e.dim);
    return out;
  }

  /**
   * e3nn's `Irreps.sort()`: stable sort by (l, p); `inv[k]` is the original index of sorted entry k and
   * `p[i]` the sorted position of original entry i.
   */
  sort(): { irreps: Irreps; p: number[]; inv: number[] } {
    const order = this.entries
      .map((e, i) => ({ e, i }))
      .sort((a, b) => a.e.ir.compare(b.e.ir) || a.i - b.i || a.e.mul - b.e.mul);
    const inv = order.map((o) => o.i);
    const p = new Array<number>(inv.length);
    inv.forEach((orig, k) => (p[orig] = k));
    return { irreps: new Irreps(order.map((o) => o.e)), p, inv };
  }

  /** e3nn's `Irreps.simplify()`: merges neighbouring equal irreps and drops zero multiplicities. */
  simplify(): Irreps {
    const out: MulIr[] = [];
    for (const e of this.entries) {
      const last = out[out.length - 1];
      if (last && last.ir.equals(e.ir)) out[out.length - 1] = new MulIr(last.mul + e.mul, e.ir);
      else if (e.mul > 0) out.push(e);
    }
    return new Irreps(out);
  }

  concat(other: IrrepsLike): Irreps {
    return new Irreps([...this.entries, ...Irreps.parse(other).entries]);
  }

  equals(other: IrrepsLike): boolean {
    const o = Irreps.parse(other);
    return (
      o.length === this.length &&
      this.entries.every((e, i) => e.mul === o.get(i).mul && e.ir.equals(o.get(i).ir))
    );
  }

  /** e3nn's string format, e.g. "2x0e+1x1o" ("" when empty). */
  toString(): string {
    return this.entries.map((e) => e.toString()).join("+");
  }
}
