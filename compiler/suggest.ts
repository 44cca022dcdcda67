/** "Did you mean …?" for misspelt names: the closest candidate by edit distance, if it is close enough. */
import { editDistance } from "../util/edit-distance.js";

/** The candidate nearest to `word` (case-insensitive ties broken by order), or undefined if none is near. */
export function closest(word: string, candidates: Iterable<string>): string | undefined {
  if (word.length > 64) return undefined;
  const allowed = Math.max(1, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestScore = Infinity;
  for (const c of candidates) {
    // Past `allowed` a candidate is refused whatever its exact distance, so the bound may cut the count short.
    const d = Math.min(editDistance(word, c, allowed), editDistance(word.toLowerCase(), c.toLowerCase(), allowed) + 0.5);
    if (d < bestScore) {
      best = c;
      bestScore = d;
    }
  }
  return best !== undefined && bestScore <= allowed ? best : undefined;
}

export function didYouMean(word: string, candidates: Iterable<string>): string | undefined {
  const c = closest(word, candidates);
  return c === undefined ? undefined : `did you mean ${c}?`;
}
