/** The shipped Fashion-MNIST feature extractor, loadable with one call on every backend. */
import { extractorWeights } from './fashion-mnist.generated.js';
import { extractorFromWeights, type FeatureExtractor } from './feature-extractor.js';
import type { ExtractorWeights } from './types.js';

/**
 * The weights, topology and training record of the shipped extractor: a small CNN trained on
 * Fashion-MNIST by `packages/core/scripts/train-extractor.ts` (see `record` for seed, epochs, accuracy).
 */
export const FASHION_MNIST_EXTRACTOR: ExtractorWeights = extractorWeights;

/**
 * Loads a feature extractor: by default the shipped Fashion-MNIST CNN (28x28x1 images in [-1, 1],
 * 64 features, 10 classes); pass other weights (e.g. parsed from the training script's JSON) to
 * use another. Synchronous; works on every backend. Dispose it when done.
 */
export function loadFeatureExtractor(weights: ExtractorWeights = FASHION_MNIST_EXTRACTOR): FeatureExtractor {
  return extractorFromWeights(weights);
}
