import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import type { tf } from '../tf.js';

/** Rejects a number option outside `[lo, hi]` (or not finite). */
export function inRange(name: string, value: number, lo: number, hi: number, hint: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < lo || value > hi) {
    throw new InvalidArgumentError(name, `${name} must be a number in [${lo}, ${hi}], got ${String(value)}; ${hint}.`);
  }
  return value;
}

/** Rejects anything but `[n, h, w, c]` images with 1 or more channels. */
export function checkImages(images: tf.Tensor4D, who: string): readonly [number, number, number, number] {
  if (images?.rank !== 4) {
    throw new ShapeMismatchError(`${who} needs [n, h, w, c] images, got rank ${String(images?.rank)}.`, [null, null, null, null], images?.shape ?? []);
  }
  return images.shape;
}
