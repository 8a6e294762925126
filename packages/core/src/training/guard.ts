import { tf } from '../tf.js';
import { optimizerVariables } from './optimizer-state.js';
import { VariableSnapshot } from './snapshot.js';

/**
 * The divergence guard: keeps a copy of the last good weights and optimizer state (every `every`
 * steps) and puts it back when a step turns a value NaN or infinite.
 */
export class DivergenceGuard {
  private readonly snapshot = new VariableSnapshot();
  /** Global step of the copy. */
  snapshotStep = 0;

  /** `every` undefined turns the copy off (losses are still checked). */
  constructor(
    readonly every: number | undefined,
    private readonly variables: () => tf.Variable[],
    private readonly optimizers: () => tf.Optimizer[],
  ) {}

  /** Copies the state before the first guarded step. */
  async before(globalStep: number): Promise<void> {
    if (this.every !== undefined && !this.snapshot.taken) await this.take(globalStep);
  }

  /** Copies the state after step `step` when it falls on the period. */
  async after(step: number): Promise<void> {
    if (this.every !== undefined && step % this.every === 0) await this.take(step);
  }

  /** Puts the copy back; returns its global step. */
  restore(): number {
    this.snapshot.restore();
    return this.snapshotStep;
  }

  /** Drops the copy (after loading a checkpoint: the next step copies again). */
  reset(): void {
    this.snapshot.dispose();
  }

  private async take(globalStep: number): Promise<void> {
    const optimizers = this.optimizers();
    const optimizerVars: tf.Variable[] = [];
    for (const o of optimizers) {
      const ov = await optimizerVariables(o);
      optimizerVars.push(...ov.slots, ...ov.extras.map(([, x]) => x));
    }
    this.snapshot.capture([...this.variables(), ...optimizerVars], optimizers);
    this.snapshotStep = globalStep;
  }
}

/**
 * A one-pass screen: 0 when every tensor's sum is finite, NaN otherwise. A NaN or ±inf value
 * always makes its tensor's sum NaN or infinite, so 0 proves every value finite; NaN can also mean
 * a sum of finite values overflowed, which {@link finiteCheck} then rules out.
 */
export function finiteScreen(tensors: readonly tf.Tensor[]): tf.Scalar {
  if (tensors.length === 0) return tf.scalar(0);
  // Column sums first: on wasm a leading-axis sum is one SIMD pass (a full sum is the stock kernel's slower loop).
  const columns = (t: tf.Tensor): tf.Tensor => (t.rank >= 2 && t.size > 0 ? tf.sum(tf.reshape(t, [-1, t.shape[t.rank - 1] as number]), 0) : t);
  const sums = tf.stack(tensors.map((t) => tf.sum(columns(t))));
  return tf.sum(tf.sub(sums, sums)) as tf.Scalar;
}

/** 0 when every value of every tensor is finite, NaN otherwise (`x - x` is NaN exactly for NaN and ±inf). */
export function finiteCheck(tensors: readonly tf.Tensor[]): tf.Scalar {
  if (tensors.length === 0) return tf.scalar(0);
  return tf.addN(tensors.map((t) => tf.sum(tf.sub(t, t)))) as tf.Scalar;
}

/** Whether every value of every tensor is finite, by the exact (two-pass) {@link finiteCheck}. */
export async function allFinite(tensors: readonly tf.Tensor[]): Promise<boolean> {
  const check = tf.tidy(() => finiteCheck(tensors));
  try {
    return Number.isFinite((await check.data())[0]);
  } finally {
    check.dispose();
  }
}
