/** A trained classifier whose penultimate layer is the feature space of the metrics. */
import { tf } from '../../tf.js';
import { ModelFormatError, ShapeMismatchError } from '../../errors.js';
import type { ImageShape } from '../../models/types.js';
import { ImageDataset } from '../../data/dataset.js';
import { featureMatrix, type FeatureMatrix } from '../features.js';
import { imageBatches, imageShapeOf, type ImageBatchOptions, type ImageSource } from '../image-batches.js';
import { readAsync, readSync, type Reading } from '../reads.js';
import { buildExtractorNetwork, type ExtractorNetwork } from './network.js';
import { decodeValues } from './codec.js';
import { EXTRACTOR_FORMAT, EXTRACTOR_FORMAT_VERSION, type ExtractorRecord, type ExtractorTopology, type ExtractorWeights } from './types.js';

/** Features and class probabilities of a set of images, in JS memory. */
export interface ExtractedFeatures {
  /** Penultimate-layer features `[n, featureDim]`. */
  readonly features: FeatureMatrix;
  /** Softmax class probabilities `[n, numClasses]`. */
  readonly probabilities: FeatureMatrix;
}

/** Options of {@link FeatureExtractor.extract}. */
export interface ExtractOptions extends ImageBatchOptions {
  /** Also called with every batch (e.g. to run a discriminator on it); must not keep or dispose it. */
  readonly onBatch?: (batch: tf.Tensor4D, start: number, labels: Int32Array | undefined) => void;
}

/** Classifier-based feature extractor; build one with {@link loadFeatureExtractor}. Call `dispose()` when done. */
export class FeatureExtractor {
  /** Name shown in reports. */
  readonly name: string;
  /** Network shape. */
  readonly topology: ExtractorTopology;
  /** How the weights were trained, if known. */
  readonly record: ExtractorRecord | undefined;
  private readonly network: ExtractorNetwork;
  /** Features of immutable datasets already extracted, by dataset and count. */
  private readonly cache = new WeakMap<ImageDataset, Map<number, ExtractedFeatures>>();

  /** Wraps a trained network; prefer {@link loadFeatureExtractor}. */
  constructor(network: ExtractorNetwork, name: string, topology: ExtractorTopology, record?: ExtractorRecord) {
    this.network = network;
    this.name = name;
    this.topology = topology;
    this.record = record;
  }

  /** Input image shape `[h, w, c]`. */
  get imageShape(): ImageShape {
    return this.topology.imageShape;
  }

  /** Width of the feature vectors. */
  get featureDim(): number {
    return this.topology.featureUnits;
  }

  /** Number of classes of the classifier head. */
  get numClasses(): number {
    return this.topology.numClasses;
  }

  /** Throws a ShapeMismatchError unless images of `shape` fit this extractor. */
  assertFits(shape: ImageShape, what = 'images'): void {
    const want = this.topology.imageShape;
    if (shape[0] !== want[0] || shape[1] !== want[1] || shape[2] !== want[2]) {
      throw new ShapeMismatchError(
        `The ${what} are [${shape.join(', ')}] but the extractor "${this.name}" takes [${want.join(', ')}]; ` +
          'resize the images or use an extractor trained on images of that shape.',
        [...want],
        [...shape],
      );
    }
  }

  /** Features `[n, featureDim]` and class logits `[n, numClasses]` of a batch in [-1, 1]; the caller disposes both. */
  predict(images: tf.Tensor4D): { features: tf.Tensor2D; logits: tf.Tensor2D } {
    this.assertFits([images.shape[1], images.shape[2], images.shape[3]]);
    return tf.tidy(() => {
      const features = this.network.body.apply(images, { training: false }) as tf.Tensor2D;
      const logits = this.network.head.apply(features, { training: false }) as tf.Tensor2D;
      return { features, logits };
    });
  }

  /**
   * Features and probabilities of the first `count` images of `source` (a generator draws
   * `count` new ones), computed in batches (default 250); no tensors are kept. Results for an
   * ImageDataset (immutable) are cached while it lives, unless `onBatch` is given; do not modify them.
   * Reads synchronously; on WebGPU in Node use {@link FeatureExtractor.extractAsync}.
   */
  extract(source: ImageSource, count: number, options: ExtractOptions = {}): ExtractedFeatures {
    return this.cached(source, count, options) ?? this.store(source, count, options, readSync(this.compute(source, count, options)));
  }

  /** {@link FeatureExtractor.extract} with asynchronous reads (`await data()`), for every backend. */
  async extractAsync(source: ImageSource, count: number, options: ExtractOptions = {}): Promise<ExtractedFeatures> {
    return this.cached(source, count, options) ?? this.store(source, count, options, await readAsync(this.compute(source, count, options)));
  }

  private cacheable(source: ImageSource, options: ExtractOptions): source is ImageDataset {
    return source instanceof ImageDataset && options.onBatch === undefined;
  }

  private cached(source: ImageSource, count: number, options: ExtractOptions): ExtractedFeatures | undefined {
    this.assertFits(imageShapeOf(source));
    return this.cacheable(source, options) ? this.cache.get(source)?.get(count) : undefined;
  }

  private store(source: ImageSource, count: number, options: ExtractOptions, result: ExtractedFeatures): ExtractedFeatures {
    if (this.cacheable(source, options)) {
      const byCount = this.cache.get(source) ?? new Map<number, ExtractedFeatures>();
      byCount.set(count, result);
      this.cache.set(source, byCount);
    }
    return result;
  }

  private *compute(source: ImageSource, count: number, options: ExtractOptions): Reading<ExtractedFeatures> {
    const features = new Float32Array(count * this.featureDim);
    const probabilities = new Float32Array(count * this.numClasses);
    for (const { batch, start, labels } of imageBatches(source, count, options)) {
      let f: tf.Tensor | undefined;
      let p: tf.Tensor | undefined;
      try {
        [f, p] = tf.tidy(() => {
          const out = this.predict(batch);
          return [out.features, tf.softmax(out.logits)];
        });
        options.onBatch?.(batch, start, labels);
        features.set(yield f!, start * this.featureDim);
        probabilities.set(yield p!, start * this.numClasses);
      } finally {
        tf.dispose([batch, ...(f ? [f] : []), ...(p ? [p] : [])]);
      }
    }
    return { features: featureMatrix(features, this.featureDim), probabilities: featureMatrix(probabilities, this.numClasses) };
  }

  /** The underlying network (body and head), e.g. for training or saving. */
  get layers(): ExtractorNetwork {
    return this.network;
  }

  /** Frees the weights. */
  dispose(): void {
    this.network.body.dispose();
    this.network.head.dispose();
  }
}

/**
 * Builds a {@link FeatureExtractor} from serialized weights (a generated module or a parsed JSON
 * file from the training script). Works on every backend; a malformed file is a ModelFormatError.
 */
export function extractorFromWeights(weights: ExtractorWeights): FeatureExtractor {
  if (weights?.format !== EXTRACTOR_FORMAT || weights.version !== EXTRACTOR_FORMAT_VERSION) {
    throw new ModelFormatError(
      `Not a feature extractor of format ${EXTRACTOR_FORMAT} v${EXTRACTOR_FORMAT_VERSION} ` +
        `(got ${String(weights?.format)} v${String(weights?.version)}); produce one with packages/core/scripts/train-extractor.ts.`,
    );
  }
  if (weights.encoding !== 'float16' && weights.encoding !== 'float32') {
    throw new ModelFormatError(`Unknown weight encoding "${String(weights.encoding)}"; expected float16 or float32.`);
  }
  const network = buildExtractorNetwork(weights.topology);
  try {
    const variables = [...network.body.weights, ...network.head.weights];
    if (variables.length !== weights.weights.length) {
      throw new ModelFormatError(
        `The topology has ${variables.length} weight tensors but the file holds ${weights.weights.length}; the file is inconsistent.`,
      );
    }
    const tensors: tf.Tensor[] = [];
    try {
      variables.forEach((v, i) => {
        const enc = weights.weights[i]!;
        if (enc.shape.length !== v.shape.length || enc.shape.some((d, j) => d !== v.shape[j])) {
          throw new ModelFormatError(
            `Extractor weight ${i} ("${enc.name}") has shape [${enc.shape.join(', ')}], the topology needs [${v.shape.join(', ')}].`,
          );
        }
        const size = tf.util.sizeFromShape([...enc.shape]);
        tensors.push(tf.tensor(decodeValues(enc.data, weights.encoding, size, enc.name), [...enc.shape]));
      });
      const bodyCount = network.body.weights.length;
      network.body.setWeights(tensors.slice(0, bodyCount));
      network.head.setWeights(tensors.slice(bodyCount));
    } finally {
      tf.dispose(tensors);
    }
  } catch (error) {
    network.body.dispose();
    network.head.dispose();
    throw error;
  }
  return new FeatureExtractor(network, weights.name, weights.topology, weights.record);
}
