import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { LayersImageGenerator, checkLatents, sampleConditional, showShape, toImageShape } from './layers-gan.js';
import { oneHotLabels } from './labels.js';
import type { GenerateOptions, ImageGenerator, ImageShape } from './types.js';

const dims = (t: tfl.SymbolicTensor) => t.shape as Array<number | null>;

/**
 * A class-conditional generator-only model (e.g. a conditional G loaded from disk) that samples
 * images of chosen classes. The LayersModel takes `[z, oneHot(labels)]`; labels are class indices.
 */
export class LayersConditionalGenerator implements ImageGenerator {
  readonly latentDim: number;
  readonly imageShape: ImageShape;
  readonly numClasses: number;
  private readonly defaultSampler: Sampler;

  /** Wraps a LayersModel mapping `[n, latentDim]` latents and `[n, numClasses]` one-hot labels to `[n, h, w, c]`. */
  constructor(readonly model: tfl.LayersModel) {
    const inputs = model.inputs.map(dims);
    const [z, label] = inputs;
    const k = label?.[1];
    if (inputs.length !== 2 || z?.length !== 2 || z[1] === null || label?.length !== 2 || typeof k !== 'number' || k < 2) {
      throw new ShapeMismatchError(
        `A conditional generator takes latents [batch, latentDim] and one-hot labels [batch, numClasses]; got ${inputs.map(showShape).join(' and ')}.`,
        [null, -1],
        label ?? [],
      );
    }
    if (model.outputs.length !== 1) {
      throw new InvalidArgumentError('model', `The generator must have one output (images), found ${model.outputs.length}.`);
    }
    this.latentDim = z[1] as number;
    this.numClasses = k;
    this.imageShape = toImageShape(dims(model.outputs[0] as tfl.SymbolicTensor), 'The generator');
    this.defaultSampler = normalSampler(this.latentDim);
  }

  /** Runs G on latents and class indices (one per latent; required, as for a conditional GAN's G). */
  generate(z: tf.Tensor2D, labels?: tf.Tensor1D, training = false): tf.Tensor4D {
    checkLatents(z, this.latentDim);
    return tf.tidy(() => this.model.apply([z, oneHotLabels(labels, z.shape[0], this.numClasses)], { training }) as tf.Tensor4D);
  }

  /** Samples `n` images; without `options.labels` the classes cycle `0, 1, ..., numClasses - 1, 0, ...`. */
  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    return sampleConditional(this, this.defaultSampler, n, options, this.numClasses);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Wraps a generator LayersModel for sampling: one input (`[n, latentDim]`) gives a
 * {@link LayersImageGenerator}, two (latents and one-hot labels) a {@link LayersConditionalGenerator}.
 * Throws a ShapeMismatchError for any other inputs; the model is not disposed then.
 */
export function generatorFromLayers(model: tfl.LayersModel): LayersImageGenerator | LayersConditionalGenerator {
  return model.inputs.length === 2 ? new LayersConditionalGenerator(model) : new LayersImageGenerator(model);
}
