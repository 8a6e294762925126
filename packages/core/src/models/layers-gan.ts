import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { labelTensor } from './labels.js';
import type { GenerateOptions, ImageGenerator, ImageShape, LayersGan } from './types.js';
import { registerModelKind } from './kinds.js';

/** A layer shape for messages, its unknown (batch) dimensions shown as `batch`: `[batch, 4, 4, 1]`, not `[, 4, 4, 1]`. */
export function showShape(shape: ReadonlyArray<number | null | undefined>): string {
  return `[${shape.map((d) => d ?? 'batch').join(', ')}]`;
}

/** @internal The single input or output shape of a model; conditional models need their own wrapper. */
export function shapeOf(model: tfl.LayersModel, which: 'input' | 'output'): Array<number | null> {
  const shapes = which === 'input' ? model.inputs.map((t) => t.shape) : model.outputs.map((t) => t.shape);
  if (shapes.length !== 1) {
    throw new InvalidArgumentError(
      which,
      `Expected a model with one ${which}, found ${shapes.length}. Conditional models need a conditional GAN builder.`,
    );
  }
  return shapes[0] as Array<number | null>;
}

/** @internal A LayersModel's trainable variables, in layer order. */
export function variablesOf(model: tfl.LayersModel): tf.Variable[] {
  return model.trainableWeights.map((w) => w.read() as tf.Variable);
}

/** @internal Checks a `[batch, h, w, c]` shape and returns `[h, w, c]`. */
export function toImageShape(shape: Array<number | null>, what: string): ImageShape {
  const dims = shape.slice(1);
  if (dims.length !== 3 || dims.some((d) => d === null || d <= 0)) {
    throw new ShapeMismatchError(
      `${what} must produce images of shape [batch, height, width, channels], got ${showShape(shape)}.`,
      [null, -1, -1, -1],
      shape,
    );
  }
  return dims as unknown as ImageShape;
}

/** @internal Checks that `z` is a `[n, latentDim]` tensor before it reaches tfjs (whose error would be untyped). */
export function checkLatents(z: tf.Tensor, latentDim: number): void {
  if (!(z instanceof tf.Tensor) || z.rank !== 2 || z.shape[1] !== latentDim) {
    const got = z instanceof tf.Tensor ? `[${z.shape.join(', ')}]` : String(z);
    throw new ShapeMismatchError(`The generator takes latents of shape [n, ${latentDim}], got ${got}; draw them with a sampler of width ${latentDim}.`, [null, latentDim], z instanceof tf.Tensor ? z.shape : []);
  }
}

/** @internal Checks that `images` is a `[n, ...imageShape]` tensor before it reaches tfjs. */
export function checkImages(images: tf.Tensor, imageShape: ImageShape): void {
  if (!(images instanceof tf.Tensor) || images.rank !== 4 || imageShape.some((d, i) => images.shape[i + 1] !== d)) {
    const got = images instanceof tf.Tensor ? `[${images.shape.join(', ')}]` : String(images);
    throw new ShapeMismatchError(
      `The discriminator takes images of shape [n, ${imageShape.join(', ')}], got ${got}; resize or reshape them to the model's image shape.`,
      [null, ...imageShape],
      images instanceof tf.Tensor ? images.shape : [],
    );
  }
}

/** Checks that `n` is a positive integer sample count. */
function checkSampleCount(n: number): void {
  if (!Number.isInteger(n) || n <= 0) throw new InvalidArgumentError('n', `n must be a positive integer, got ${n}.`);
}

/** Samples images from any generator model with the given latent width; `labels` go to conditional generators. */
export function sampleFrom(
  gen: Pick<ImageGenerator, 'generate' | 'latentDim'>,
  defaultSampler: Sampler,
  n: number,
  options: GenerateOptions = {},
  labels?: tf.Tensor1D,
): tf.Tensor4D {
  checkSampleCount(n);
  const sampler = options.sampler ?? defaultSampler;
  if (sampler.latentDim !== gen.latentDim) {
    throw new ShapeMismatchError(
      `The sampler draws latents of width ${sampler.latentDim}, but the generator expects ${gen.latentDim}.`,
      [null, gen.latentDim],
      [null, sampler.latentDim],
    );
  }
  return tf.tidy(() => {
    const z = sampler.sample(n, options.seed === undefined ? {} : { seed: options.seed });
    return gen.generate(z, labels, false);
  });
}

/** @internal Samples from a class-conditional generator; without `options.labels` the classes cycle `0, 1, ..., numClasses - 1, 0, ...`. */
export function sampleConditional(
  gen: Pick<ImageGenerator, 'generate' | 'latentDim'>,
  defaultSampler: Sampler,
  n: number,
  options: GenerateOptions,
  numClasses: number,
): tf.Tensor4D {
  checkSampleCount(n);
  const labels = labelTensor(options.labels, n, numClasses);
  try {
    return sampleFrom(gen, defaultSampler, n, options, labels);
  } finally {
    labels.dispose();
  }
}

/** A generator-only model (e.g. loaded from disk) that can sample images. */
export class LayersImageGenerator implements ImageGenerator {
  readonly latentDim: number;
  readonly imageShape: ImageShape;
  readonly numClasses: number | undefined = undefined;
  private readonly defaultSampler: Sampler;

  /** Wraps a LayersModel mapping `[n, latentDim]` to `[n, h, w, c]`. */
  constructor(readonly model: tfl.LayersModel) {
    const input = shapeOf(model, 'input');
    if (input.length !== 2 || input[1] === null) {
      throw new ShapeMismatchError(
        `The generator must take latents of shape [batch, latentDim], got ${showShape(input)}.`,
        [null, -1],
        input,
      );
    }
    this.latentDim = input[1] as number;
    this.imageShape = toImageShape(shapeOf(model, 'output'), 'The generator');
    this.defaultSampler = normalSampler(this.latentDim);
  }

  generate(z: tf.Tensor2D, _labels?: tf.Tensor1D, training = false): tf.Tensor4D {
    checkLatents(z, this.latentDim);
    return this.model.apply(z, { training }) as tf.Tensor4D;
  }

  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    return sampleFrom(this, this.defaultSampler, n, options);
  }

  dispose(): void {
    this.model.dispose();
  }
}

/**
 * Wraps a generator and a discriminator LayersModel as a {@link GanModel}. G must map
 * `[n, latentDim]` to `[n, h, w, c]` and D must accept `[n, h, w, c]` and return `[n, 1]` logits.
 */
export class LayersGanModel extends LayersImageGenerator implements LayersGan {
  readonly generator: tfl.LayersModel;
  readonly discriminator: tfl.LayersModel;

  constructor(generator: tfl.LayersModel, discriminator: tfl.LayersModel) {
    super(generator);
    this.generator = generator;
    this.discriminator = discriminator;
    const dIn = shapeOf(discriminator, 'input');
    const gOut = [null, ...this.imageShape];
    if (dIn.length !== gOut.length || dIn.some((d, i) => i > 0 && d !== null && d !== gOut[i])) {
      throw new ShapeMismatchError(
        `The generator outputs ${showShape(gOut)} but the discriminator takes ${showShape(dIn)}. ` +
          'Make the discriminator input shape equal the generator output shape.',
        gOut,
        dIn,
      );
    }
    const dOut = shapeOf(discriminator, 'output');
    if (dOut.length !== 2 || dOut[1] !== 1) {
      throw new ShapeMismatchError(
        `The discriminator must output one logit per image, shape [batch, 1], got ${showShape(dOut)}.`,
        [null, 1],
        dOut,
      );
    }
  }

  discriminate(images: tf.Tensor4D, _labels?: tf.Tensor1D, training = false): tf.Tensor2D {
    checkImages(images, this.imageShape);
    return this.discriminator.apply(images, { training }) as tf.Tensor2D;
  }

  generatorVariables(): tf.Variable[] {
    return variablesOf(this.generator);
  }

  discriminatorVariables(): tf.Variable[] {
    return variablesOf(this.discriminator);
  }

  override dispose(): void {
    this.generator.dispose();
    this.discriminator.dispose();
  }
}

/** Makes a {@link GanModel} from your own generator and discriminator LayersModels. */
export function ganFromLayers(generator: tfl.LayersModel, discriminator: tfl.LayersModel): LayersGan {
  return new LayersGanModel(generator, discriminator);
}

registerModelKind('layers', {
  describe: (m) => (m instanceof LayersGanModel ? { config: {}, networks: { generator: m.generator, discriminator: m.discriminator } } : undefined),
  restore: (_config, n) => new LayersGanModel(n['generator'] as tfl.LayersModel, n['discriminator'] as tfl.LayersModel),
});
