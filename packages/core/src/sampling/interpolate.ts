import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';

/** How {@link interpolate} moves between two latents. */
export type InterpolationMode = 'lerp' | 'slerp';

/**
 * `steps` latents from `a` to `b` (both ends included), shape `[steps, d]`. `'lerp'` is a straight
 * line; `'slerp'` follows the great circle (White 2016), which keeps Gaussian latents at a typical
 * norm; it falls back to lerp when `a` and `b` are (anti)parallel. `a`, `b`: `[d]` or `[1, d]`.
 * Everything runs on the backend (no synchronous read), so it works on WebGPU in Node too.
 */
export function interpolate(a: tf.Tensor, b: tf.Tensor, steps: number, mode: InterpolationMode = 'lerp'): tf.Tensor2D {
  if (!Number.isInteger(steps) || steps < 2) throw new InvalidArgumentError('steps', `steps must be an integer >= 2, got ${String(steps)}.`);
  if (mode !== 'lerp' && mode !== 'slerp') throw new InvalidArgumentError('mode', `mode must be 'lerp' or 'slerp', got ${String(mode)}.`);
  const d = a.size;
  if (b.size !== d || (a.rank === 2 && a.shape[0] !== 1) || a.rank > 2 || b.rank > 2) {
    throw new ShapeMismatchError(`interpolate needs two latents of shape [d] or [1, d], got [${a.shape}] and [${b.shape}].`, a.shape, b.shape);
  }
  return tf.tidy(() => {
    const x = tf.reshape(tf.cast(a, 'float32'), [1, d]);
    const y = tf.reshape(tf.cast(b, 'float32'), [1, d]);
    const t = tf.tensor2d(
      Array.from({ length: steps }, (_, i) => i / (steps - 1)),
      [steps, 1],
    );
    const lerpA = tf.sub(1, t);
    if (mode === 'lerp') return tf.add(tf.mul(lerpA, x), tf.mul(t, y)) as tf.Tensor2D;
    const norms = tf.mul(tf.norm(x), tf.norm(y));
    const cos = tf.where(tf.greater(norms, 0), tf.clipByValue(tf.div(tf.sum(tf.mul(x, y)), tf.maximum(norms, 1e-30)), -1, 1), tf.scalar(1));
    const omega = tf.acos(cos);
    const sin = tf.sin(omega);
    // Where a and b are (anti)parallel, sin(omega) ~ 0 and slerp degenerates: use lerp's weights.
    const useSlerp = tf.greater(sin, 1e-6);
    const safeSin = tf.where(useSlerp, sin, tf.scalar(1));
    const wa = tf.where(useSlerp, tf.div(tf.sin(tf.mul(lerpA, omega)), safeSin), lerpA);
    const wb = tf.where(useSlerp, tf.div(tf.sin(tf.mul(t, omega)), safeSin), t);
    return tf.add(tf.mul(wa, x), tf.mul(wb, y)) as tf.Tensor2D;
  });
}
