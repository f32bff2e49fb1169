import { distance } from 'fastest-levenshtein';

/**
 * The candidate closest to a misspelt `word`, or undefined when none is close enough to be a likely
 * typo: at most 2 edits, or a third of the word's length for long words. Case is ignored, so
 * `dailycap` finds `dailyCap`. A candidate must also keep more than half of its letters, or short
 * words would all look alike (`foo` is 2 edits from `poc`).
 */
export function closestMatch(word: string, candidates: Iterable<string>): string | undefined {
  const lower = word.toLowerCase();
  const limit = Math.max(2, Math.floor(word.length / 3));
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    if (candidate === word) continue;
    const edits = distance(lower, candidate.toLowerCase());
    const plausible = edits <= limit && 2 * edits < Math.max(word.length, candidate.length);
    if (plausible && edits < bestDistance) {
      best = candidate;
      bestDistance = edits;
    }
  }
  return best;
}
