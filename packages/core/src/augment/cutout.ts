import { tf } from '../tf.js';

/** A box per image, rows `[y0, y1)` and columns `[x0, x1)`, already clipped to the image. */
export interface CutoutBox {
  readonly y0: number;
  readonly y1: number;
  readonly x0: number;
  readonly x1: number;
}

/** Builds the `[n, h, w, 1]` mask that is 0 inside each image's box and 1 elsewhere. */
export function cutoutMask(n: number, h: number, w: number, boxes: readonly (CutoutBox | undefined)[]): tf.Tensor4D {
  const mask = new Float32Array(n * h * w).fill(1);
  boxes.forEach((b, i) => {
    if (b === undefined) return;
    for (let y = Math.max(0, b.y0); y < Math.min(h, b.y1); y++) {
      mask.fill(0, (i * h + y) * w + Math.max(0, b.x0), (i * h + y) * w + Math.min(w, b.x1));
    }
  });
  return tf.tensor4d(mask, [n, h, w, 1]);
}

/** Sets each image's box to `fill` (default 0, mid-gray in [-1, 1]): `x·mask + fill·(1 - mask)`. */
export function applyCutout(images: tf.Tensor4D, boxes: readonly (CutoutBox | undefined)[], fill = 0): tf.Tensor4D {
  const [n, h, w] = images.shape;
  const mask = cutoutMask(n, h, w, boxes);
  const kept = tf.mul(images, mask) as tf.Tensor4D;
  return fill === 0 ? kept : tf.add(kept, tf.mul(tf.sub(1, mask), fill)) as tf.Tensor4D;
}
