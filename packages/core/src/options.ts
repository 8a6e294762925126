import { UnknownOptionError } from './errors.js';

/** Levenshtein edit distance between two strings (insertions, deletions, substitutions). */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j]! + 1, current[j - 1]! + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/**
 * The candidate nearest to `key`: among candidates that contain it or are contained in it
 * (`auxiliary` -> `auxiliaryClassifier`) if any, else among all, the smallest case-insensitive
 * edit distance; ties go to the first listed.
 */
export function nearestKey(key: string, candidates: readonly string[]): string | undefined {
  const k = key.toLowerCase();
  const related = candidates.filter((c) => k.length >= 3 && (c.toLowerCase().includes(k) || k.includes(c.toLowerCase())));
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of related.length > 0 ? related : candidates) {
    const d = editDistance(k, c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/**
 * Throws an {@link UnknownOptionError} when `options` has an own key that `allowed` lacks, naming
 * the nearest valid key. `allowed` is typed as a record of every key of the options type so that
 * adding an option without listing it here fails to compile. Undefined or null options pass.
 */
export function checkKeys<T extends object>(
  where: string,
  options: T | null | undefined,
  allowed: { readonly [K in keyof Required<T>]: true },
): void {
  if (options === null || options === undefined || typeof options !== 'object') return;
  const valid = Object.keys(allowed);
  for (const key of Object.keys(options)) {
    if (!Object.prototype.hasOwnProperty.call(allowed, key)) {
      throw new UnknownOptionError(where, key, nearestKey(key, valid), valid);
    }
  }
}
