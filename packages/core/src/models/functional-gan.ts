import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { normalSampler, type Sampler } from '../sampling/sampler.js';
import { checkImages, checkLatents, sampleConditional, sampleFrom } from './layers-gan.js';
import { labelTensor } from './labels.js';
import type { GanModel, GenerateOptions, ImageShape } from './types.js';
import { checkKeys } from '../options.js';

/** What a network function receives besides its input. */
export interface NetworkContext {
  /** True during training steps (e.g. for dropout or batch statistics); false when sampling or evaluating. */
  readonly training: boolean;
  /** Class labels `[n]` for conditional models; undefined for unconditional ones. */
  readonly labels?: tf.Tensor1D;
}

/** One network as a function over variables that you own (TF-GAN's `generator_fn` / `discriminator_fn`). */
export interface FunctionalNetwork<I extends tf.Tensor, O extends tf.Tensor> {
  /** Runs the network. Called inside `tf.tidy` and under gradient tapes: use tensor ops only, no `dataSync`. */
  readonly apply: (input: I, context: NetworkContext) => O;
  /** The trainable variables the function reads; the network's optimizer updates exactly these. */
  readonly variables: readonly tf.Variable[];
  /** Non-trainable variables the function reads or updates (e.g. running statistics); saved in checkpoints. Default none. */
  readonly state?: readonly tf.Variable[];
}

/** Options of {@link ganFromFunctions}. */
export interface FunctionalGanOptions {
  /** Width of the latent vector `z`. */
  readonly latentDim: number;
  /** Shape `[height, width, channels]` of the images G makes and D reads. */
  readonly imageShape: ImageShape;
  /** G: latents `[n, latentDim]` to images `[n, h, w, c]` in [-1, 1]. */
  readonly generator: FunctionalNetwork<tf.Tensor2D, tf.Tensor4D>;
  /** D: images `[n, h, w, c]` to logits `[n, 1]`. */
  readonly discriminator: FunctionalNetwork<tf.Tensor4D, tf.Tensor2D>;
  /** Number of classes for a conditional model: both functions then get `context.labels`. Default unconditional. */
  readonly numClasses?: number;
  /** Seed of `sample()`'s default latent stream. Default 0. */
  readonly seed?: number;
}

function checkVariables(where: string, list: unknown, required: boolean): tf.Variable[] {
  if (list === undefined && !required) return [];
  if (!Array.isArray(list) || list.some((v) => !(v instanceof tf.Variable) || v.isDisposed)) {
    throw new InvalidArgumentError(where, `${where} must be an array of live tf.Variable objects (create them with tf.variable(...)).`);
  }
  if (required && list.length === 0) {
    throw new InvalidArgumentError(where, `${where} is empty: list the trainable variables the function reads, or the optimizer has nothing to update.`);
  }
  return [...(list as tf.Variable[])];
}

function checkDistinct(groups: Readonly<Record<string, readonly tf.Variable[]>>): void {
  const owner = new Map<number, string>();
  for (const [where, vars] of Object.entries(groups)) {
    for (const v of vars) {
      const other = owner.get(v.id);
      if (other !== undefined) {
        throw new InvalidArgumentError(
          where,
          `Variable "${v.name}" is listed in ${other} and in ${where}; each variable belongs to one network and one list.`,
        );
      }
      owner.set(v.id, where);
    }
  }
}

function positiveInt(name: string, value: unknown): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new InvalidArgumentError(name, `${name} must be a positive integer, got ${String(value)}.`);
  }
  return value;
}

/** A {@link GanModel} made of two functions over variables; see {@link ganFromFunctions}. */
export class FunctionalGanModel implements GanModel {
  readonly latentDim: number;
  readonly imageShape: ImageShape;
  readonly numClasses: number | undefined;
  private readonly g: FunctionalNetwork<tf.Tensor2D, tf.Tensor4D>;
  private readonly d: FunctionalNetwork<tf.Tensor4D, tf.Tensor2D>;
  private readonly gVars: tf.Variable[];
  private readonly dVars: tf.Variable[];
  private readonly gState: tf.Variable[];
  private readonly dState: tf.Variable[];
  private readonly defaultSampler: Sampler;

  constructor(options: FunctionalGanOptions) {
    if (!options || typeof options !== 'object') {
      throw new InvalidArgumentError('options', 'ganFromFunctions needs { latentDim, imageShape, generator, discriminator }.');
    }
    this.latentDim = positiveInt('latentDim', options.latentDim);
    const shape = options.imageShape;
    if (!Array.isArray(shape) || shape.length !== 3) {
      throw new InvalidArgumentError('imageShape', `imageShape must be [height, width, channels], got ${JSON.stringify(shape)}.`);
    }
    shape.forEach((d, i) => positiveInt(`imageShape[${i}]`, d));
    this.imageShape = [...shape] as unknown as ImageShape;
    if (options.numClasses !== undefined && !(Number.isInteger(options.numClasses) && options.numClasses >= 2)) {
      throw new InvalidArgumentError('numClasses', `numClasses must be an integer >= 2, got ${String(options.numClasses)}.`);
    }
    this.numClasses = options.numClasses;
    for (const which of ['generator', 'discriminator'] as const) {
      if (typeof options[which]?.apply !== 'function') {
        throw new InvalidArgumentError(which, `${which}.apply must be a function (input, { training, labels }) => tensor.`);
      }
    }
    this.g = options.generator;
    this.d = options.discriminator;
    this.gVars = checkVariables('generator.variables', this.g.variables, true);
    this.dVars = checkVariables('discriminator.variables', this.d.variables, true);
    this.gState = checkVariables('generator.state', this.g.state, false);
    this.dState = checkVariables('discriminator.state', this.d.state, false);
    checkDistinct({
      'generator.variables': this.gVars,
      'generator.state': this.gState,
      'discriminator.variables': this.dVars,
      'discriminator.state': this.dState,
    });
    for (const [where, vars] of [['generator.variables', this.gVars], ['discriminator.variables', this.dVars]] as const) {
      const frozen = vars.find((v) => !v.trainable);
      if (frozen) {
        throw new InvalidArgumentError(where, `Variable "${frozen.name}" is not trainable; move it to the network's state list.`);
      }
    }
    this.defaultSampler = normalSampler(this.latentDim, { seed: options.seed ?? 0 });
    this.probe();
  }

  /** Runs G and D once on two latents so shape errors surface now, with both shapes, not mid-training. */
  private probe(): void {
    tf.tidy(() => {
      const n = 2;
      const labels = this.numClasses === undefined ? undefined : (tf.zeros([n], 'int32') as tf.Tensor1D);
      const z = tf.zeros([n, this.latentDim]) as tf.Tensor2D;
      const images = this.g.apply(z, { training: false, ...(labels ? { labels } : {}) });
      const want = [n, ...this.imageShape];
      if (!(images instanceof tf.Tensor) || images.rank !== 4 || images.shape.some((d, i) => d !== want[i])) {
        const got = images instanceof tf.Tensor ? images.shape : [];
        throw new ShapeMismatchError(
          `The generator function returned [${got.join(', ')}] for ${n} latents but imageShape is [${this.imageShape.join(', ')}]: ` +
            `it must return [n, ${this.imageShape.join(', ')}].`,
          want,
          got,
        );
      }
      const logits = this.d.apply(images, { training: false, ...(labels ? { labels } : {}) });
      if (!(logits instanceof tf.Tensor) || logits.rank !== 2 || logits.shape[0] !== n || logits.shape[1] !== 1) {
        const got = logits instanceof tf.Tensor ? logits.shape : [];
        throw new ShapeMismatchError(
          `The discriminator function returned [${got.join(', ')}] for generator output [${images.shape.join(', ')}]; ` +
            'it must return one logit per image, [n, 1].',
          [n, 1],
          got,
        );
      }
    });
  }

  private context(training: boolean, labels: tf.Tensor1D | undefined, n: number): NetworkContext {
    if (this.numClasses === undefined) return { training };
    if (labels === undefined) {
      throw new InvalidArgumentError('labels', `This model is conditional on ${this.numClasses} classes; pass one label per image.`);
    }
    if (labels.shape[0] !== n) throw new ShapeMismatchError(`Got ${labels.shape[0]} labels for ${n} images.`, [n], labels.shape);
    return { training, labels };
  }

  generate(z: tf.Tensor2D, labels?: tf.Tensor1D, training = false): tf.Tensor4D {
    checkLatents(z, this.latentDim);
    const context = this.context(training, labels, z.shape[0]);
    return tf.tidy(() => this.g.apply(z, context));
  }

  discriminate(images: tf.Tensor4D, labels?: tf.Tensor1D, training = false): tf.Tensor2D {
    checkImages(images, this.imageShape);
    const context = this.context(training, labels, images.shape[0]);
    return tf.tidy(() => this.d.apply(images, context));
  }

  /** Samples `n` images; for conditional models without `options.labels` the classes cycle `0, 1, ..., numClasses - 1, 0, ...`. */
  sample(n: number, options: GenerateOptions = {}): tf.Tensor4D {
    if (this.numClasses === undefined) return sampleFrom(this, this.defaultSampler, n, options);
    return sampleConditional(this, this.defaultSampler, n, options, this.numClasses);
  }

  generatorVariables(): tf.Variable[] {
    return [...this.gVars];
  }

  discriminatorVariables(): tf.Variable[] {
    return [...this.dVars];
  }

  /** G's trainable variables, then its state variables. */
  generatorWeights(): tf.Variable[] {
    return [...this.gVars, ...this.gState];
  }

  /** D's trainable variables, then its state variables. */
  discriminatorWeights(): tf.Variable[] {
    return [...this.dVars, ...this.dState];
  }

  /** Disposes every listed variable: the model owns them once built. */
  dispose(): void {
    tf.dispose([...this.gVars, ...this.gState, ...this.dVars, ...this.dState]);
  }
}

/**
 * Makes a {@link GanModel} from two functions over variables you create with `tf.variable`, for
 * architectures that are not tfjs-layers models. G and D run once on two latents at construction,
 * so a shape mismatch is reported with both shapes; the model then owns (and `dispose` frees) the variables.
 */
export function ganFromFunctions(options: FunctionalGanOptions): FunctionalGanModel {
  checkKeys('ganFromFunctions', options, { latentDim: true, imageShape: true, generator: true, discriminator: true, numClasses: true, seed: true });
  return new FunctionalGanModel(options);
}
