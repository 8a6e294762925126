/** Sample-quality metrics (FID-style, KID, precision/recall, classifier score, coverage, memorization) and their feature extractor. */
export { featureMatrix, type FeatureMatrix } from './features.js';
export { gaussianStats, type GaussianStats } from './gaussian.js';
export { frechetDistance } from './frechet.js';
export { kernelDistance, type KernelDistanceOptions, type KernelDistanceResult } from './kid.js';
export { precisionRecall, type PrecisionRecallResult } from './precision-recall.js';
export {
  classifierScore,
  classCoverage,
  type ClassifierScoreResult,
  type ClassCoverageResult,
} from './classifier-score.js';
export { memorization, type MemorizationResult } from './memorization.js';
export type { ImageSet, ImageSource } from './image-batches.js';
export * from './extractor/index.js';
export { evaluate, DEFAULT_EVALUATION_SAMPLES, type EvaluateOptions } from './evaluate.js';
export {
  formatReport,
  METRIC_NAMES,
  type EvaluationReport,
  type MetricDirection,
  type MetricName,
  type MetricResult,
} from './report.js';
