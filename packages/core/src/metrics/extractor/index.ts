/** The metrics' feature extractor: a small CNN classifier whose penultimate layer is the feature space. */
export { FeatureExtractor, extractorFromWeights, type ExtractedFeatures, type ExtractOptions } from './feature-extractor.js';
export { buildExtractorNetwork, DEFAULT_EXTRACTOR_TOPOLOGY, type ExtractorNetwork } from './network.js';
export {
  trainFeatureExtractor,
  serializeExtractor,
  classifierAccuracy,
  type TrainExtractorOptions,
  type TrainedExtractor,
  type ExtractorEpochInfo,
} from './train.js';
export {
  EXTRACTOR_FORMAT,
  EXTRACTOR_FORMAT_VERSION,
  type EncodedTensor,
  type ExtractorRecord,
  type ExtractorTopology,
  type ExtractorWeights,
} from './types.js';
export { FASHION_MNIST_EXTRACTOR, loadFeatureExtractor } from './default.js';
export {
  ModelFeatureExtractor,
  featureExtractorFromModel,
  type ExtractorPreprocess,
  type ImageFeatureExtractor,
  type ImageFeatures,
  type ModelExtractorOptions,
  type PredictingModel,
} from './model-extractor.js';
