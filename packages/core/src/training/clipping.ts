import { tf } from '../tf.js';

/**
 * Scales a list of gradients so that their global L2 norm is at most `maxNorm` (Pascanu et al.
 * 2013); returns them unchanged when already within. Call inside `tf.tidy`.
 */
export function clipByGlobalNorm(grads: readonly tf.Tensor[], maxNorm: number): tf.Tensor[] {
  const squares = grads.map((g) => tf.sum(tf.square(g)));
  const norm = tf.sqrt(tf.addN(squares));
  const scale = tf.div(maxNorm, tf.maximum(norm, maxNorm));
  return grads.map((g) => tf.mul(g, scale));
}
