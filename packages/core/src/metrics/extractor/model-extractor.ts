/**
 * A feature extractor from any tfjs model the user brings (a LayersModel, or a GraphModel loaded
 * with `@tensorflow/tfjs-converter`, e.g. a converted Inception network), with its input size and
 * preprocessing, for scoring images the shipped Fashion-MNIST extractor does not fit.
 */
import { tf } from '../../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../../errors.js';
import type { ImageShape } from '../../models/types.js';
import { featureMatrix, type FeatureMatrix } from '../features.js';
import { imageBatches, imageShapeOf, type ImageSource } from '../image-batches.js';
import { readAsync, readSync, type Reading } from '../reads.js';
import type { ExtractOptions } from './feature-extractor.js';
import type { ExtractorRecord } from './types.js';

/** What {@link ImageFeatureExtractor.extract} returns: features, and class probabilities when the extractor has a classifier head. */
export interface ImageFeatures {
  /** Features `[n, featureDim]`. */
  readonly features: FeatureMatrix;
  /** Softmax class probabilities `[n, numClasses]`, absent for features-only extractors. */
  readonly probabilities?: FeatureMatrix;
}

/** Any feature extractor `evaluate` accepts: the shipped {@link FeatureExtractor} or a {@link ModelFeatureExtractor}. */
export interface ImageFeatureExtractor {
  /** Name shown in reports. */
  readonly name: string;
  /** Shape `[h, w, c]` of the images it scores without resizing. */
  readonly imageShape: ImageShape;
  /** Width of the feature vectors (0 until known for a model whose output shape is dynamic). */
  readonly featureDim: number;
  /** Classes of its classifier head; undefined when it gives features only (no classifier score or coverage then). */
  readonly numClasses: number | undefined;
  /** How it was trained, if known. */
  readonly record?: ExtractorRecord | undefined;
  /** Throws a ShapeMismatchError naming the way out unless images of `shape` can be scored. */
  assertFits(shape: ImageShape, what?: string): void;
  /** Features (and probabilities, if any) of the first `count` images of `source`, in batches; reads synchronously. */
  extract(source: ImageSource, count: number, options?: ExtractOptions): ImageFeatures;
  /** {@link ImageFeatureExtractor.extract} with asynchronous reads (`await data()`), for every backend. */
  extractAsync(source: ImageSource, count: number, options?: ExtractOptions): Promise<ImageFeatures>;
  /** Frees the weights it owns. */
  dispose(): void;
}

/** The part of a tfjs LayersModel or GraphModel this extractor uses. */
export interface PredictingModel {
  /** Input tensors; `inputs[0].shape` is `[null, h, w, c]`. */
  readonly inputs: ReadonlyArray<{ readonly shape?: readonly (number | null)[] | undefined }>;
  /** Runs the model on a batch. */
  predict(x: tf.Tensor, config?: unknown): tf.Tensor | tf.Tensor[] | tf.NamedTensorMap;
  /** Frees the model's weights. */
  dispose(): void;
}

/** How the [-1, 1] images are mapped to what the model expects. */
export type ExtractorPreprocess = 'none' | 'zero-one' | 'bytes' | ((images: tf.Tensor4D) => tf.Tensor4D);

/** Options of {@link featureExtractorFromModel}. */
export interface ModelExtractorOptions {
  /** Name shown in reports. Default `'custom-extractor'`. */
  readonly name?: string;
  /** The model's input `[h, w, c]`. Default: read from `model.inputs[0].shape` (which must then be fully known). */
  readonly inputShape?: ImageShape;
  /**
   * Maps images from [-1, 1] to the model's input range: `'none'` (default: the model takes
   * [-1, 1], as Inception does), `'zero-one'` ([0, 1]), `'bytes'` ([0, 255]), or a function.
   */
  readonly preprocess?: ExtractorPreprocess;
  /** Resize (bilinear) images of another height and width to the input size. Default false: such images are refused. */
  readonly resize?: boolean;
  /** Repeat the channel of grayscale images when the model takes RGB. Default false: refused. */
  readonly grayToRgb?: boolean;
  /** Which output holds the features when the model returns several: an index or a name. Default: the first. */
  readonly output?: number | string;
  /** Dispose the model with the extractor. Default true. */
  readonly ownsModel?: boolean;
}

function modelInputShape(model: PredictingModel): ImageShape | undefined {
  const shape = model.inputs?.[0]?.shape;
  if (!shape || shape.length !== 4) return undefined;
  const [, h, w, c] = shape;
  return typeof h === 'number' && typeof w === 'number' && typeof c === 'number' && h > 0 && w > 0 && c > 0 ? [h, w, c] : undefined;
}

/** An {@link ImageFeatureExtractor} running a user-supplied tfjs model; build it with {@link featureExtractorFromModel}. */
export class ModelFeatureExtractor implements ImageFeatureExtractor {
  readonly name: string;
  readonly imageShape: ImageShape;
  readonly numClasses: undefined = undefined;
  readonly record: undefined = undefined;
  private dim = 0;
  private readonly model: PredictingModel;
  private readonly options: ModelExtractorOptions;

  /** Prefer {@link featureExtractorFromModel}. */
  constructor(model: PredictingModel, imageShape: ImageShape, options: ModelExtractorOptions) {
    this.model = model;
    this.imageShape = imageShape;
    this.options = options;
    this.name = options.name ?? 'custom-extractor';
    const out = (model as { outputs?: ReadonlyArray<{ shape?: readonly (number | null)[] }> }).outputs?.[typeof options.output === 'number' ? options.output : 0]?.shape;
    if (out && out.slice(1).every((d) => typeof d === 'number' && d > 0)) this.dim = out.slice(1).reduce<number>((a, d) => a * (d as number), 1);
  }

  /** Width of the feature vectors: from the model's output shape, or from the first batch extracted. */
  get featureDim(): number {
    return this.dim;
  }

  assertFits(shape: ImageShape, what = 'images'): void {
    const [h, w, c] = this.imageShape;
    const channelsFit = shape[2] === c || (this.options.grayToRgb === true && shape[2] === 1 && c === 3);
    const sizeFits = (shape[0] === h && shape[1] === w) || this.options.resize === true;
    if (channelsFit && sizeFits) return;
    const ways = [
      ...(sizeFits ? [] : [`pass \`resize: true\` to featureExtractorFromModel to resize them to ${h}x${w}, or load them at that size`]),
      ...(channelsFit
        ? []
        : [shape[2] === 1 && c === 3 ? 'pass `grayToRgb: true` to repeat the gray channel' : `load the images with channels: ${c}`]),
    ];
    throw new ShapeMismatchError(
      `The ${what} are [${shape.join(', ')}] but the extractor "${this.name}" takes [${h}, ${w}, ${c}]; ${ways.join('; ')}.`,
      [h, w, c],
      [...shape],
    );
  }

  /** Features `[n, featureDim]` of a batch in [-1, 1] (preprocessed, resized and channel-matched as configured); the caller disposes them. */
  predict(images: tf.Tensor4D): tf.Tensor2D {
    this.assertFits([images.shape[1], images.shape[2], images.shape[3]]);
    return tf.tidy(() => {
      const [h, w, c] = this.imageShape;
      let x: tf.Tensor4D = images;
      if (x.shape[3] === 1 && c === 3) x = tf.tile(x, [1, 1, 1, 3]);
      if (x.shape[1] !== h || x.shape[2] !== w) x = tf.image.resizeBilinear(x, [h, w], true);
      const pre = this.options.preprocess ?? 'none';
      if (pre === 'zero-one') x = tf.div(tf.add(x, 1), 2);
      else if (pre === 'bytes') x = tf.mul(tf.add(x, 1), 127.5);
      else if (typeof pre === 'function') x = pre(x);
      const out = this.model.predict(x);
      const chosen = this.pickOutput(out);
      return tf.reshape(chosen, [chosen.shape[0]!, -1]) as tf.Tensor2D;
    });
  }

  private pickOutput(out: tf.Tensor | tf.Tensor[] | tf.NamedTensorMap): tf.Tensor {
    const which = this.options.output;
    if (out instanceof tf.Tensor) return out;
    if (Array.isArray(out)) {
      const t = out[typeof which === 'number' ? which : 0];
      if (!t) throw new InvalidArgumentError('output', `the model returned ${out.length} outputs; output ${String(which)} does not exist.`);
      return t;
    }
    const names = Object.keys(out);
    const t = out[typeof which === 'string' ? which : names[typeof which === 'number' ? which : 0]!];
    if (!t) throw new InvalidArgumentError('output', `the model's outputs are ${names.join(', ')}; output ${String(which)} is not one of them.`);
    return t;
  }

  extract(source: ImageSource, count: number, options: ExtractOptions = {}): ImageFeatures {
    this.assertFits(imageShapeOf(source));
    return readSync(this.compute(source, count, options));
  }

  async extractAsync(source: ImageSource, count: number, options: ExtractOptions = {}): Promise<ImageFeatures> {
    this.assertFits(imageShapeOf(source));
    return readAsync(this.compute(source, count, options));
  }

  /** The batched feature pass, written once for both read styles (the driver disposes each yielded tensor). */
  private *compute(source: ImageSource, count: number, options: ExtractOptions): Reading<ImageFeatures> {
    let data: Float32Array | undefined;
    for (const { batch, start, labels } of imageBatches(source, count, options)) {
      let f: tf.Tensor2D | undefined;
      try {
        f = this.predict(batch);
        options.onBatch?.(batch, start, labels);
      } catch (error) {
        f?.dispose();
        throw error;
      } finally {
        batch.dispose();
      }
      const dim = f.shape[1];
      if (this.dim === 0) this.dim = dim;
      if (dim !== this.dim) {
        f.dispose();
        throw new ShapeMismatchError(`The model gave ${dim} features per image, earlier ${this.dim}.`, [this.dim], [dim]);
      }
      const values = yield f;
      data ??= new Float32Array(count * dim);
      data.set(values as Float32Array, start * dim);
    }
    return { features: featureMatrix(data!, this.dim) };
  }

  dispose(): void {
    if (this.options.ownsModel !== false) this.model.dispose();
  }
}

/**
 * Wraps a tfjs model as a feature extractor for `evaluate`: its output (flattened per image) is
 * the feature space. Images of another size or channel count are refused with a ShapeMismatchError
 * naming `resize` / `grayToRgb`, unless those are set. Features only: no classifier score or class coverage.
 */
export function featureExtractorFromModel(model: PredictingModel, options: ModelExtractorOptions = {}): ModelFeatureExtractor {
  if (typeof model?.predict !== 'function') {
    throw new InvalidArgumentError('model', 'pass a tfjs LayersModel or GraphModel (anything with predict and inputs).');
  }
  const shape = options.inputShape ?? modelInputShape(model);
  if (shape === undefined || shape.length !== 3 || !shape.every((d) => Number.isInteger(d) && d > 0)) {
    throw new InvalidArgumentError(
      'inputShape',
      `the model's input shape is not fully known (${JSON.stringify(model.inputs?.[0]?.shape ?? null)}); pass inputShape: [height, width, channels].`,
    );
  }
  const pre = options.preprocess ?? 'none';
  if (pre !== 'none' && pre !== 'zero-one' && pre !== 'bytes' && typeof pre !== 'function') {
    throw new InvalidArgumentError('preprocess', `preprocess must be 'none', 'zero-one', 'bytes' or a function, got ${JSON.stringify(pre)}.`);
  }
  return new ModelFeatureExtractor(model, [shape[0], shape[1], shape[2]], options);
}
