import { tf, tfl } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';

/** Options of {@link minibatchStdDev}. */
export interface MinibatchStdDevArgs {
  /** Images per group whose standard deviation is measured (ProGAN's 4); a batch not divisible by it uses its largest divisor below. Default 4. */
  readonly groupSize?: number;
  /** Added to the variance before the square root. Default 1e-8. */
  readonly epsilon?: number;
  /** Layer name. Default: tfjs' unique `minibatch_std_dev_N`. */
  readonly name?: string;
  /** Input shape without the batch axis, when this is a model's first layer. */
  readonly inputShape?: number[];
  /** Input shape with the batch axis (what saved configs hold); as tfjs' layer argument. */
  readonly batchInputShape?: Array<number | null>;
}

/** @internal The group size used for a batch of `n`: the largest divisor of `n` not above `groupSize`. */
export function effectiveGroupSize(n: number, groupSize: number): number {
  let g = Math.max(1, Math.min(groupSize, n));
  while (n % g !== 0) g--;
  return g;
}

/**
 * Minibatch standard deviation (Karras et al. 2018, ProGAN): splits the batch into groups of
 * `groupSize`, takes each feature's standard deviation across the group, averages it over the
 * features and appends that number as one extra channel (or one extra feature for `[n, f]`
 * inputs), so D can see how varied a batch is and punish collapse. No weights.
 */
export class MinibatchStdDev extends tfl.layers.Layer {
  /** Class name in saved models. */
  static className = 'MinibatchStdDev';
  /** Images per group. */
  readonly groupSize: number;
  /** Variance floor. */
  readonly epsilon: number;

  constructor(args: MinibatchStdDevArgs = {}) {
    const { groupSize: _groupSize, epsilon: _epsilon, ...layerArgs } = args;
    super(layerArgs as ConstructorParameters<typeof tfl.layers.Layer>[0]);
    this.groupSize = args.groupSize ?? 4;
    this.epsilon = args.epsilon ?? 1e-8;
    if (!Number.isInteger(this.groupSize) || this.groupSize < 1) {
      throw new InvalidArgumentError('groupSize', `groupSize must be a positive integer, got ${String(this.groupSize)}.`);
    }
    if (!(this.epsilon >= 0)) throw new InvalidArgumentError('epsilon', `epsilon must be >= 0, got ${String(this.epsilon)}.`);
  }

  override computeOutputShape(inputShape: tfl.Shape | tfl.Shape[]): tfl.Shape {
    const shape = (Array.isArray(inputShape[0]) ? inputShape[0] : inputShape) as tfl.Shape;
    const last = shape[shape.length - 1];
    return [...shape.slice(0, -1), last === null || last === undefined ? null : last + 1];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? (inputs[0] as tf.Tensor) : inputs;
      if (x.rank < 2) throw new InvalidArgumentError('inputs', `MinibatchStdDev needs inputs [n, ...features], got rank ${x.rank}.`);
      const n = x.shape[0] as number;
      const g = effectiveGroupSize(n, this.groupSize);
      const m = n / g;
      // Sample i belongs to group i % m, as in ProGAN's reshape [g, m, ...].
      const grouped = tf.reshape(x, [g, m, ...x.shape.slice(1)]);
      const variance = tf.mean(tf.square(tf.sub(grouped, tf.mean(grouped, 0, true))), 0);
      const std = tf.sqrt(tf.add(variance, this.epsilon));
      const perGroup = tf.mean(tf.reshape(std, [m, -1]), 1); // [m]
      const perSample = tf.tile(perGroup, [g]); // sample i -> perGroup[i % m]
      const mapShape = [n, ...x.shape.slice(1, -1), 1];
      const map = tf.mul(tf.reshape(perSample, [n, ...x.shape.slice(1, -1).map(() => 1), 1]), tf.ones(mapShape));
      return tf.concat([x, map], -1);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), groupSize: this.groupSize, epsilon: this.epsilon };
  }
}

/** A {@link MinibatchStdDev} layer (group size default 4). */
export function minibatchStdDev(args: MinibatchStdDevArgs = {}): MinibatchStdDev {
  registerMinibatchStdDev();
  return new MinibatchStdDev(args);
}

let registered = false;

/** Registers {@link MinibatchStdDev} with tfjs' serialization (idempotent), so saved models that use it load. */
export function registerMinibatchStdDev(): void {
  if (registered) return;
  registered = true;
  tf.serialization.registerClass(MinibatchStdDev);
}
