/** Metrics computed from the extractor's class probabilities: classifier score and class coverage. */
import { InvalidArgumentError } from '../errors.js';
import { assertMinRows, type FeatureMatrix } from './features.js';

/** Result of {@link classifierScore}. */
export interface ClassifierScoreResult {
  /** Mean over splits of `exp(E[KL(p(y|x) || p(y))])`; between 1 and the number of classes. */
  readonly mean: number;
  /** Standard deviation over splits. */
  readonly std: number;
  /** Number of splits. */
  readonly splits: number;
}

/**
 * Inception-score style classifier score of class probabilities `[n, classes]` (rows sum to 1):
 * `exp(E_x[KL(p(y|x) || p(y))])` on each of `splits` (default 10) equal parts, as mean and std.
 * High when each image is confidently one class and the classes are balanced.
 */
export function classifierScore(probs: FeatureMatrix, splits = 10): ClassifierScoreResult {
  if (!Number.isInteger(splits) || splits < 1 || splits > probs.count) {
    throw new InvalidArgumentError('splits', `splits must be an integer in [1, ${probs.count}], got ${String(splits)}.`);
  }
  const { dim, data } = probs;
  const scores: number[] = [];
  for (let s = 0; s < splits; s++) {
    const start = Math.floor((s * probs.count) / splits);
    const end = Math.floor(((s + 1) * probs.count) / splits);
    const marginal = new Float64Array(dim);
    for (let r = start; r < end; r++) for (let c = 0; c < dim; c++) marginal[c]! += data[r * dim + c]!;
    for (let c = 0; c < dim; c++) marginal[c]! /= end - start;
    let kl = 0;
    for (let r = start; r < end; r++) {
      for (let c = 0; c < dim; c++) {
        const p = data[r * dim + c]!;
        if (p > 0) kl += p * (Math.log(p) - Math.log(marginal[c]!));
      }
    }
    scores.push(Math.exp(kl / (end - start)));
  }
  const mean = scores.reduce((a, b) => a + b, 0) / splits;
  const std = Math.sqrt(scores.reduce((a, b) => a + (b - mean) ** 2, 0) / splits);
  return { mean, std, splits };
}

/** Result of {@link classCoverage}. */
export interface ClassCoverageResult {
  /** Share of samples predicted as each class (sums to 1). */
  readonly histogram: number[];
  /** KL(histogram || uniform) in nats: 0 for balanced classes, log(classes) if all samples are one class. */
  readonly klToUniform: number;
  /** Classes predicted for at least 10% of their uniform share (1 / (10 * classes)) of the samples. */
  readonly classesCovered: number;
}

/** Histogram of predicted (argmax) classes of `[n, classes]` probabilities and its KL to uniform: a mode-collapse signal. */
export function classCoverage(probs: FeatureMatrix): ClassCoverageResult {
  assertMinRows(probs, 1, 'class coverage');
  const { dim, data, count } = probs;
  const counts = new Float64Array(dim);
  for (let r = 0; r < count; r++) {
    let best = 0;
    for (let c = 1; c < dim; c++) if (data[r * dim + c]! > data[r * dim + best]!) best = c;
    counts[best]! += 1;
  }
  const histogram = Array.from(counts, (c) => c / count);
  let kl = 0;
  for (const h of histogram) if (h > 0) kl += h * Math.log(h * dim);
  const classesCovered = histogram.filter((h) => h >= 1 / (10 * dim)).length;
  return { histogram, klToUniform: kl, classesCovered };
}
