/**
 * The one edit distance behind every "did you mean …?": optimal string alignment, where inserting, deleting
 * or replacing a character, or swapping two adjacent ones, each costs 1 (a swapped pair is a common typo, and
 * plain Levenshtein would charge it 2). Characters are UTF-16 units, compared exactly (callers fold case).
 *
 * With `max`, a distance above it is reported as `max + 1`, so a caller that only accepts close words can skip
 * the table for words whose lengths alone are too far apart.
 */
export function editDistance(a: string, b: string, max = Infinity): number {
  if (Math.abs(a.length - b.length) > max) return max + 1;
  // Three rows of the (a.length + 1) x (b.length + 1) table: a swap looks two rows back.
  let before = new Array<number>(b.length + 1).fill(0);
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  let row = new Array<number>(b.length + 1).fill(0);
  for (let i = 1; i <= a.length; i++) {
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      let d = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) d = Math.min(d, before[j - 2]! + 1);
      row[j] = d;
    }
    [before, prev, row] = [prev, row, before];
  }
  return Math.min(prev[b.length]!, max + 1);
}
