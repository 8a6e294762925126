import { tf, tfl } from '../../tf.js';
import { InvalidArgumentError, ModelFormatError } from '../../errors.js';

type Layer = tfl.layers.Layer;
type LayerVariable = Layer['trainableWeights'][number];
type Kwargs = Parameters<Layer['call']>[1];
/** What the wrapper needs from the layer it wraps: tfjs' Dense, Conv2D and Conv2DTranspose read `this.kernel` in `call`. */
type KernelLayer = Layer & { kernel?: LayerVariable | { read(): tf.Tensor } };

/** Options of {@link spectralNormalization}; names as in Keras 3's `SpectralNormalization`. */
export interface SpectralNormalizationArgs {
  /** The layer whose kernel is normalized: a Dense, Conv2D or Conv2DTranspose (any layer with a `kernel` weight read in `call`). */
  readonly layer: Layer;
  /** Power iterations per training call. Default 1. */
  readonly powerIterations?: number;
  /** Seed of the initial power-iteration vector `u` (N(0, 1)). Default: unseeded. */
  readonly seed?: number;
  /** Layer name. Default: tfjs' unique `spectral_normalization_N`. */
  readonly name?: string;
  /** Input shape without the batch axis, when this is a model's first layer. */
  readonly inputShape?: number[];
  /** Input shape with the batch axis (what saved configs hold); as tfjs' layer argument. */
  readonly batchInputShape?: Array<number | null>;
  /** Whether the wrapped layer's weights train. Default true. */
  readonly trainable?: boolean;
}

/** Identity whose gradient is zero: u and v are constants of the power iteration (Miyato et al. 2018). */
const stopGradient = tf.customGrad(((x: tf.Tensor) => ({ value: tf.clone(x), gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy) })) as unknown as Parameters<typeof tf.customGrad>[0]);

function l2Normalize(x: tf.Tensor2D): tf.Tensor2D {
  return tf.div(x, tf.add(tf.norm(x), 1e-12));
}

/**
 * Spectral normalization (Miyato et al. 2018): wraps a Dense / Conv2D / Conv2DTranspose layer so
 * that it computes with `W / σ(W)`, `σ` the largest singular value of the kernel reshaped to
 * `[-1, lastDim]` (as Keras does), estimated by power iteration. The vector `u` is a non-trainable
 * weight (saved with the model, kept in checkpoints) updated only in training mode, 1 iteration
 * per call by default; the gradient flows through `σ` with `u`, `v` held constant.
 */
export class SpectralNormalization extends tfl.layers.Layer {
  /** Class name in saved models (Keras 3's name). */
  static className = 'SpectralNormalization';
  /** The wrapped layer. */
  readonly layer: KernelLayer;
  /** Power iterations per training call. */
  readonly powerIterations: number;
  private readonly seed: number | undefined;
  private u: LayerVariable | undefined;

  constructor(args: SpectralNormalizationArgs) {
    const { layer: _layer, powerIterations: _iterations, seed: _seed, ...layerArgs } = args ?? ({} as SpectralNormalizationArgs);
    super(layerArgs as ConstructorParameters<typeof tfl.layers.Layer>[0]);
    if (!(args?.layer instanceof tfl.layers.Layer)) {
      throw new InvalidArgumentError('layer', 'SpectralNormalization wraps a layer, e.g. spectralNormalization({ layer: tfl.layers.dense({ units: 1 }) }).');
    }
    this.layer = args.layer as KernelLayer;
    if (args.trainable === false) this.layer.trainable = false;
    this.powerIterations = args.powerIterations ?? 1;
    if (!Number.isInteger(this.powerIterations) || this.powerIterations < 1) {
      throw new InvalidArgumentError('powerIterations', `powerIterations must be an integer >= 1, got ${String(this.powerIterations)}.`);
    }
    this.seed = args.seed;
  }

  override build(inputShape: tfl.Shape | tfl.Shape[]): void {
    if (!this.layer.built) {
      this.layer.build(inputShape);
      this.layer.built = true;
    }
    const kernel = this.layer.kernel as LayerVariable | undefined;
    if (kernel === undefined || !Array.isArray(kernel.shape) || kernel.shape.length < 2) {
      throw new InvalidArgumentError(
        'layer',
        `SpectralNormalization needs a layer with a kernel (Dense, Conv2D, Conv2DTranspose); ${this.layer.getClassName()} has none.`,
      );
    }
    const out = kernel.shape[kernel.shape.length - 1] as number;
    this.u = this.addWeight(
      'u',
      [1, out],
      'float32',
      tfl.initializers.randomNormal({ mean: 0, stddev: 1, ...(this.seed === undefined ? {} : { seed: this.seed }) }),
      undefined,
      false,
    );
    this.built = true;
  }

  override get trainable(): boolean {
    return this.layer === undefined ? super.trainable : this.layer.trainable;
  }

  override set trainable(value: boolean) {
    if (this.layer === undefined) super.trainable = value;
    else this.layer.trainable = value;
  }

  override get trainableWeights(): LayerVariable[] {
    return this.layer.trainableWeights;
  }

  override set trainableWeights(_weights: LayerVariable[]) {
    throw new InvalidArgumentError('trainableWeights', 'SpectralNormalization takes its weights from the wrapped layer.');
  }

  override get nonTrainableWeights(): LayerVariable[] {
    return [...this.layer.nonTrainableWeights, ...(this.u === undefined ? [] : [this.u])];
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape | tfl.Shape[] {
    return this.layer.computeOutputShape(inputShape);
  }

  /** The normalized kernel `W / σ(W)` and `σ`; in training mode also advances `u` by {@link powerIterations} steps. */
  normalizedKernel(training: boolean): { kernel: tf.Tensor; sigma: tf.Scalar } {
    const kernelVar = this.layer.kernel as LayerVariable;
    const uVar = this.u as LayerVariable;
    return tf.tidy(() => {
      const w = kernelVar.read();
      const out = w.shape[w.rank - 1] as number;
      const mat = tf.reshape(w, [-1, out]) as tf.Tensor2D;
      let u = uVar.read() as tf.Tensor2D;
      let v = l2Normalize(tf.matMul(u, mat, false, true));
      if (training) {
        for (let i = 0; i < this.powerIterations; i++) {
          u = l2Normalize(tf.matMul(v, mat));
          v = l2Normalize(tf.matMul(u, mat, false, true));
        }
        uVar.write(u);
      }
      const uc = stopGradient(u) as tf.Tensor2D;
      const vc = stopGradient(v) as tf.Tensor2D;
      const sigma = tf.sum(tf.mul(tf.matMul(vc, mat), uc)) as tf.Scalar;
      return { kernel: tf.div(w, sigma), sigma };
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor | tf.Tensor[] {
    return tf.tidy(() => {
      const { kernel } = this.normalizedKernel(kwargs['training'] === true);
      const raw = this.layer.kernel;
      // tfjs' Dense / Conv2D / Conv2DTranspose read `this.kernel.read()` in call: lend them W / σ.
      this.layer.kernel = { read: () => kernel };
      try {
        return this.layer.call(inputs, kwargs);
      } finally {
        this.layer.kernel = raw;
      }
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return {
      ...super.getConfig(),
      layer: { className: this.layer.getClassName(), config: this.layer.getConfig() },
      powerIterations: this.powerIterations,
    };
  }

  /** Rebuilds the wrapper and its layer from a saved config (tfjs calls this when loading a model). */
  static override fromConfig<T extends tf.serialization.Serializable>(
    cls: tf.serialization.SerializableConstructor<T>,
    config: tf.serialization.ConfigDict,
  ): T {
    const inner = config['layer'] as { className?: unknown; config?: unknown } | null;
    const className = inner?.className;
    const entry = typeof className === 'string' ? tf.serialization.SerializationMap.getMap().classNameMap[className] : undefined;
    if (entry === undefined || typeof inner?.config !== 'object' || inner.config === null) {
      throw new ModelFormatError(
        `SpectralNormalization wraps an unknown layer ${JSON.stringify(className)}; register its class (tf.serialization.registerClass) before loading.`,
      );
    }
    const [innerCls, fromConfig] = entry;
    const layer = fromConfig(innerCls, inner.config as tf.serialization.ConfigDict);
    const { layer: _omit, ...rest } = config;
    return new (cls as unknown as new (args: SpectralNormalizationArgs) => T)({ ...(rest as object), layer: layer as unknown as Layer });
  }
}

let registered = false;

/** Registers {@link SpectralNormalization} with tfjs' serialization (idempotent), so saved models that use it load. */
export function registerSpectralNormalization(): void {
  if (registered) return;
  registered = true;
  tf.serialization.registerClass(SpectralNormalization);
}

/** Wraps `args.layer` in {@link SpectralNormalization} (1 power iteration per training call by default). */
export function spectralNormalization(args: SpectralNormalizationArgs): SpectralNormalization {
  registerSpectralNormalization();
  return new SpectralNormalization(args);
}
