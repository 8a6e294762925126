import { tf } from '../tf.js';

/** A `[n, 1, 1, 1]` tensor of one number per image. */
export function perImage(values: Float32Array): tf.Tensor4D {
  return tf.tensor4d(values, [values.length, 1, 1, 1]);
}

/** Adds one offset per image: `x + b`. */
export function addPerImage(images: tf.Tensor4D, offsets: Float32Array): tf.Tensor4D {
  return tf.add(images, perImage(offsets));
}

/** Scales each image around the mean over its channels at each pixel (DiffAugment's saturation): `(x - m) * s + m`. */
export function scaleAroundChannelMean(images: tf.Tensor4D, factors: Float32Array): tf.Tensor4D {
  const mean = tf.mean(images, 3, true);
  return tf.add(tf.mul(tf.sub(images, mean), perImage(factors)), mean);
}

/** Scales each image around its own mean over all pixels and channels (contrast): `(x - m) * s + m`. */
export function scaleAroundImageMean(images: tf.Tensor4D, factors: Float32Array): tf.Tensor4D {
  const mean = tf.mean(images, [1, 2, 3], true);
  return tf.add(tf.mul(tf.sub(images, mean), perImage(factors)), mean);
}

/** Blends each RGB image with its luma (ITU-R 601 weights, as torchvision): `gray + (x - gray) * s`. */
export function blendWithLuma(images: tf.Tensor4D, factors: Float32Array): tf.Tensor4D {
  const gray = tf.sum(tf.mul(images, tf.tensor1d([0.299, 0.587, 0.114])), 3, true);
  return tf.add(tf.mul(tf.sub(images, gray), perImage(factors)), gray);
}

/**
 * Applies one affine colour map per image: 12 numbers each (a 3x3 matrix row-major, then a 3-vector
 * offset) for RGB, `rgb' = M·rgb + t`; for one channel, 2 numbers each (`x' = a·x + t`).
 */
export function colourTransform(images: tf.Tensor4D, maps: Float32Array): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  if (c === 1) {
    const a = new Float32Array(n);
    const t = new Float32Array(n);
    for (let i = 0; i < n; i++) {
      a[i] = maps[i * 2] as number;
      t[i] = maps[i * 2 + 1] as number;
    }
    return tf.add(tf.mul(images, perImage(a)), perImage(t));
  }
  const mt = new Float32Array(n * 9); // M transposed, so pixels (rows) times M^T
  const off = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let r = 0; r < 3; r++) {
      for (let q = 0; q < 3; q++) mt[i * 9 + q * 3 + r] = maps[i * 12 + r * 3 + q] as number;
      off[i * 3 + r] = maps[i * 12 + 9 + r] as number;
    }
  }
  const pixels = tf.reshape(images, [n, h * w, 3]) as tf.Tensor3D;
  const mapped = tf.add(tf.matMul(pixels, tf.tensor3d(mt, [n, 3, 3])), tf.tensor3d(off, [n, 1, 3]));
  return tf.reshape(mapped, [n, h, w, 3]);
}
