/** Serialized form of a feature extractor: topology, encoded weights and the record of how it was trained. */
import type { ImageShape } from '../../models/types.js';

/** Format tag of {@link ExtractorWeights}. */
export const EXTRACTOR_FORMAT = 'aigc-feature-extractor';
/** Current version of {@link ExtractorWeights}. */
export const EXTRACTOR_FORMAT_VERSION = 1;

/**
 * The extractor CNN: for each entry of `convFilters`, a `kernelSize` x `kernelSize` same-padded
 * ReLU convolution and a 2x2 max-pool; then a ReLU dense layer of `featureUnits` (the feature
 * space) and a dense layer of `numClasses` logits.
 */
export interface ExtractorTopology {
  /** Input image shape `[h, w, c]`; pixels in [-1, 1]. */
  readonly imageShape: ImageShape;
  /** Filters of each convolution block. */
  readonly convFilters: readonly number[];
  /** Convolution kernel size. */
  readonly kernelSize: number;
  /** Width of the penultimate (feature) layer. */
  readonly featureUnits: number;
  /** Number of classes of the classifier head. */
  readonly numClasses: number;
}

/** How an extractor was made: enough to reproduce it and judge it. */
export interface ExtractorRecord {
  /** Dataset description, e.g. `'Fashion-MNIST'`. */
  readonly dataset: string;
  /** Number of training images. */
  readonly trainImages: number;
  /** Number of test images accuracy was measured on. */
  readonly testImages: number;
  /** Seed of initialization, data order and dropout. */
  readonly seed: number;
  /** Training epochs. */
  readonly epochs: number;
  /** Batch size. */
  readonly batchSize: number;
  /** Adam learning rate. */
  readonly learningRate: number;
  /** Dropout rate on the features during training. */
  readonly dropout: number;
  /** Test accuracy of the float32 weights after training. */
  readonly testAccuracy: number;
  /** Test accuracy with the weights as stored (after quantization). */
  readonly storedTestAccuracy: number;
  /** tfjs backend trained on. */
  readonly backend: string;
  /** Training wall time, seconds. */
  readonly seconds: number;
  /** CPU time of the training process, seconds (absent in records made before it was kept). */
  readonly cpuSeconds?: number;
  /** ISO date of training. */
  readonly date: string;
  /** Command that produced it. */
  readonly command: string;
}

/** One weight tensor, base64 of little-endian float16 or float32 values. */
export interface EncodedTensor {
  /** Weight name, for messages. */
  readonly name: string;
  /** Tensor shape. */
  readonly shape: readonly number[];
  /** Base64 of the values in the file's `encoding`. */
  readonly data: string;
}

/** A serialized feature extractor, as shipped in a generated module or saved as JSON. */
export interface ExtractorWeights {
  /** Always {@link EXTRACTOR_FORMAT}. */
  readonly format: typeof EXTRACTOR_FORMAT;
  /** Always {@link EXTRACTOR_FORMAT_VERSION}. */
  readonly version: number;
  /** Extractor name shown in reports, e.g. `'fashion-mnist-cnn-v1'`. */
  readonly name: string;
  /** Network shape. */
  readonly topology: ExtractorTopology;
  /** Number encoding of the weights. */
  readonly encoding: 'float16' | 'float32';
  /** Weights in network order (convolutions, feature layer, head). */
  readonly weights: readonly EncodedTensor[];
  /** How it was trained. */
  readonly record: ExtractorRecord;
}
