import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { checkImages, checkLatents, sampleConditional, showShape, toImageShape, variablesOf } from './layers-gan.js';
import { labelTensor, oneHotLabels } from './labels.js';
import type { AuxiliaryClassifierGan, GenerateOptions, ImageShape, LayersGan } from './types.js';
import { registerModelKind } from './kinds.js';
import { checkKeys } from '../options.js';

/** Options of {@link conditionalGanFromLayers}. */
export interface ConditionalGanOptions {
  /** Number of classes; labels are integers in `[0, numClasses)`. */
  readonly numClasses: number;
  /**
   * ACGAN: D takes only images and has two outputs, logits `[n, 1]` and class logits
   * `[n, numClasses]`. Default false: D takes `[images, oneHot]` and returns logits.
   */
  readonly auxiliaryClassifier?: boolean;
}

const dims = (t: tfl.SymbolicTensor) => t.shape as Array<number | null>;
const show = showShape;

/**
 * A class-conditional GAN over LayersModels. G takes `[z, oneHot(labels)]`; D takes
 * `[images, oneHot(labels)]` (projection or concatenation inside D), or, for ACGAN, images
 * only with a second class-logit output. Labels are int32 class indices; one-hot encoding is done here.
 */
export class ConditionalGanModel implements LayersGan {
  readonly generator: tfl.LayersModel;
  readonly discriminator: tfl.LayersModel;
  readonly latentDim: number;
  readonly imageShape: ImageShape;
  readonly numClasses: number;
  /** True for ACGAN models (D has a class head and no label input). */
  readonly auxiliaryClassifier: boolean;
  private readonly defaultSampler: Sampler;

  constructor(generator: tfl.LayersModel, discriminator: tfl.LayersModel, options: ConditionalGanOptions) {
    const k = options.numClasses;
    if (!Number.isInteger(k) || k < 2) {
      throw new InvalidArgumentError('numClasses', `numClasses must be an integer >= 2, got ${String(k)}.`);
    }
    this.numClasses = k;
    this.auxiliaryClassifier = options.auxiliaryClassifier ?? false;
    this.generator = generator;
    this.discriminator = discriminator;
    const gIn = generator.inputs.map(dims);
    if (gIn.length !== 2 || gIn[0]?.length !== 2 || gIn[1]?.length !== 2 || gIn[1][1] !== k) {
      throw new ShapeMismatchError(
        `A conditional generator takes two inputs, [batch, latentDim] and [batch, ${k}] (one-hot labels); got ${gIn.map(show).join(' and ')}.`,
        [null, k],
        gIn[1] ?? [],
      );
    }
    this.latentDim = gIn[0][1] as number;
    if (generator.outputs.length !== 1) {
      throw new InvalidArgumentError('generator', `The generator must have one output (images), found ${generator.outputs.length}.`);
    }
    this.imageShape = toImageShape(dims(generator.outputs[0] as tfl.SymbolicTensor), 'The generator');
    this.checkDiscriminator();
    this.defaultSampler = normalSampler(this.latentDim);
  }

  private checkDiscriminator(): void {
    const k = this.numClasses;
    const d = this.discriminator;
    const dIn = d.inputs.map(dims);
    const image = [null, ...this.imageShape];
    const wantInputs = this.auxiliaryClassifier ? [image] : [image, [null, k]];
    const wantOutputs = this.auxiliaryClassifier ? [[null, 1], [null, k]] : [[null, 1]];
    const same = (a: ReadonlyArray<number | null>, b: ReadonlyArray<number | null>) =>
      a.length === b.length && a.every((v, i) => i === 0 || v === null || v === b[i]);
    const what = this.auxiliaryClassifier ? 'An ACGAN discriminator' : 'A conditional discriminator';
    if (dIn.length !== wantInputs.length || !wantInputs.every((s, i) => same(dIn[i] as Array<number | null>, s))) {
      throw new ShapeMismatchError(
        `${what} must take ${wantInputs.map(show).join(' and ')} (the generator outputs ${show(image)}), but takes ${dIn.map(show).join(' and ')}.`,
        wantInputs[0] as Array<number | null>,
        dIn[0] ?? [],
      );
    }
    const dOut = d.outputs.map(dims);
    if (dOut.length !== wantOutputs.length || !wantOutputs.every((s, i) => same(dOut[i] as Array<number | null>, s))) {
      throw new ShapeMismatchError(
        `${what} must output ${wantOutputs.map(show).join(' and ')}, but outputs ${dOut.map(show).join(' and ')}.`,
        wantOutputs[0] as Array<number | null>,
        dOut[0] ?? [],
      );
    }
  }

  generate(z: tf.Tensor2D, labels?: tf.Tensor1D, training = false): tf.Tensor4D {
    checkLatents(z, this.latentDim);
    return tf.tidy(() => this.generator.apply([z, oneHotLabels(labels, z.shape[0], this.numClasses)], { training }) as tf.Tensor4D);
  }

  discriminate(images: tf.Tensor4D, labels?: tf.Tensor1D, training = false): tf.Tensor2D {
    checkImages(images, this.imageShape);
    if (this.auxiliaryClassifier) return tf.tidy(() => this.discriminateWithClasses(images, training).logits);
    return tf.tidy(() => this.discriminator.apply([images, oneHotLabels(labels, images.shape[0], this.numClasses)], { training }) as tf.Tensor2D);
  }

  /** ACGAN only: D's logits `[n, 1]` and class logits `[n, numClasses]` from one pass. */
  discriminateWithClasses(images: tf.Tensor4D, training = false): { logits: tf.Tensor2D; classLogits: tf.Tensor2D } {
    if (!this.auxiliaryClassifier) {
      throw new InvalidArgumentError('discriminateWithClasses', 'Only ACGAN models (auxiliaryClassifier: true) have a class head.');
    }
    const [logits, classLogits] = this.discriminator.apply(images, { training }) as tf.Tensor2D[];
    return { logits: logits as tf.Tensor2D, classLogits: classLogits as tf.Tensor2D };
  }

  /** Samples `n` images; without `options.labels` the classes cycle `0, 1, ..., numClasses - 1, 0, ...`. */
  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    return sampleConditional(this, this.defaultSampler, n, options, this.numClasses);
  }

  generatorVariables(): tf.Variable[] {
    return variablesOf(this.generator);
  }

  discriminatorVariables(): tf.Variable[] {
    return variablesOf(this.discriminator);
  }

  dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
  }
}

/** Makes a class-conditional {@link GanModel} (or an ACGAN with `auxiliaryClassifier`) from your own LayersModels. */
export function conditionalGanFromLayers(
  generator: tfl.LayersModel,
  discriminator: tfl.LayersModel,
  options: ConditionalGanOptions,
): LayersGan | (AuxiliaryClassifierGan & LayersGan) {
  checkKeys('conditionalGanFromLayers', options, { numClasses: true, auxiliaryClassifier: true });
  const model = new ConditionalGanModel(generator, discriminator, options);
  return model as LayersGan | (AuxiliaryClassifierGan & LayersGan);
}

registerModelKind('conditional', {
  describe: (m) =>
    m instanceof ConditionalGanModel
      ? { config: { numClasses: m.numClasses, auxiliaryClassifier: m.auxiliaryClassifier }, networks: { generator: m.generator, discriminator: m.discriminator } }
      : undefined,
  restore: (c, n) =>
    new ConditionalGanModel(n['generator'] as tfl.LayersModel, n['discriminator'] as tfl.LayersModel, {
      numClasses: c['numClasses'] as number,
      auxiliaryClassifier: c['auxiliaryClassifier'] === true,
    }),
});
