/** Parsers for numeric command-line options: a wrong value says what is expected, not `got NaN`. */
import { InvalidArgumentError } from "commander";

/** Integer-valued options: digits only (no `1e3`, `0x10` or `2.0`), at least `min`. */
export function wholeNumber(min: number): (value: string) => number {
  return (value) => {
    const n = Number(value.trim());
    if (!/^\s*\d+\s*$/.test(value) || !Number.isSafeInteger(n) || n < min) {
      throw new InvalidArgumentError(`expected a whole number${min > 0 ? ` of at least ${min}` : " (0 or more)"}, such as ${Math.max(min, 10)}.`);
    }
    return n;
  };
}

/** A real number strictly between `low` and `high`. */
export function numberBetween(low: number, high: number): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (value.trim() === "" || !Number.isFinite(n) || !(n > low && n < high)) throw new InvalidArgumentError(`expected a number between ${low} and ${high}, such as 0.01.`);
    return n;
  };
}
