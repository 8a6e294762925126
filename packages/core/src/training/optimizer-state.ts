import { tf } from '../tf.js';

/** The variables that make up an optimizer's state, found without copying anything. */
export interface OptimizerVariables {
  /** Steps applied so far (tfjs' `iterations`). */
  readonly iterations: number;
  /** Slot variables in tfjs' `getWeights` order (e.g. Adam: all first moments, then all second moments). */
  readonly slots: tf.Variable[];
  /**
   * Other state variables held as properties (e.g. Adam's `accBeta1`, `accBeta2`: the running
   * powers of beta, which `setWeights` would recompute with `pow` and so round differently).
   */
  readonly extras: Array<[string, tf.Variable]>;
}

type Internals = { iterations_?: number };

/** Lists an optimizer's state variables (see {@link OptimizerVariables}). */
export async function optimizerVariables(optimizer: tf.Optimizer): Promise<OptimizerVariables> {
  const weights = await optimizer.getWeights();
  const [iter, ...rest] = weights;
  iter?.tensor.dispose();
  const slots = rest.map((w) => w.tensor as tf.Variable);
  const extras = Object.entries(optimizer)
    .filter((e): e is [string, tf.Variable] => e[1] instanceof tf.Variable && !slots.includes(e[1]))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return { iterations: (optimizer as unknown as Internals).iterations_ ?? 0, slots, extras };
}

/**
 * Puts saved optimizer state back: slot values, extras and the iteration count. A fresh optimizer
 * (no slots yet) gets its slots created through `setWeights`; one with slots is assigned in place.
 */
export async function restoreOptimizer(
  optimizer: tf.Optimizer,
  state: { iterations: number; slots: readonly tf.Tensor[]; extras: ReadonlyArray<readonly [string, tf.Tensor]> },
): Promise<void> {
  const current = await optimizerVariables(optimizer);
  if (current.slots.length === 0 && state.slots.length > 0) {
    const named = state.slots.map((t, i) => ({ name: `slot_${i}`, tensor: t }));
    const iter = tf.scalar(state.iterations, 'int32');
    await optimizer.setWeights([{ name: 'iter', tensor: iter }, ...named]);
    iter.dispose();
  } else {
    current.slots.forEach((v, i) => v.assign(state.slots[i] as tf.Tensor));
  }
  const extras = new Map(current.extras);
  for (const [name, value] of state.extras) extras.get(name)?.assign(value);
  (optimizer as unknown as Internals).iterations_ = state.iterations;
}
