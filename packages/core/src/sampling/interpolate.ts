import { tf } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';

/** How {@link interpolate} moves between two latents. */
export type InterpolationMode = 'lerp' | 'slerp';

/**
 * `steps` latents from `a` to `b` (both ends included), shape `[steps, d]`. `'lerp'` is a straight
 * line; `'slerp'` follows the great circle (White 2016), which keeps Gaussian latents at a typical
 * norm; it falls back to lerp when `a` and `b` are (anti)parallel. `a`, `b`: `[d]` or `[1, d]`.
 */
export function interpolate(a: tf.Tensor, b: tf.Tensor, steps: number, mode: InterpolationMode = 'lerp'): tf.Tensor2D {
  if (!Number.isInteger(steps) || steps < 2) throw new InvalidArgumentError('steps', `steps must be an integer >= 2, got ${String(steps)}.`);
  if (mode !== 'lerp' && mode !== 'slerp') throw new InvalidArgumentError('mode', `mode must be 'lerp' or 'slerp', got ${String(mode)}.`);
  const d = a.size;
  if (b.size !== d || (a.rank === 2 && a.shape[0] !== 1) || a.rank > 2 || b.rank > 2) {
    throw new ShapeMismatchError(`interpolate needs two latents of shape [d] or [1, d], got [${a.shape}] and [${b.shape}].`, a.shape, b.shape);
  }
  return tf.tidy(() => {
    const x = tf.reshape(a, [1, d]);
    const y = tf.reshape(b, [1, d]);
    const t = Array.from({ length: steps }, (_, i) => i / (steps - 1));
    let wa = t.map((s) => 1 - s);
    let wb = t;
    if (mode === 'slerp') {
      const dot = tf.sum(tf.mul(x, y)).dataSync()[0] as number;
      const norms = (tf.norm(x).dataSync()[0] as number) * (tf.norm(y).dataSync()[0] as number);
      const cos = norms === 0 ? 1 : Math.min(1, Math.max(-1, dot / norms));
      const omega = Math.acos(cos);
      const sin = Math.sin(omega);
      if (sin > 1e-6) {
        wa = t.map((s) => Math.sin((1 - s) * omega) / sin);
        wb = t.map((s) => Math.sin(s * omega) / sin);
      }
    }
    const ca = tf.tensor2d(wa, [steps, 1]);
    const cb = tf.tensor2d(wb, [steps, 1]);
    return tf.add(tf.mul(ca, x), tf.mul(cb, y)) as tf.Tensor2D;
  });
}
