// Synthetic training data: smooth random blobs in [-1, 1], deterministic under a seed.
import { ImageDataset, Rng } from '../../packages/core/dist/index.js';

/** `count` images of `shape` ([h, w, c]) as an ImageDataset. */
export function syntheticData(shape, count, seed) {
  const [h, w, c] = shape;
  const rng = new Rng(seed);
  const images = new Float32Array(count * h * w * c);
  for (let i = 0; i < count; i++) {
    const cx = rng.nextFloat() * w;
    const cy = rng.nextFloat() * h;
    const r = 2 + rng.nextFloat() * (Math.min(h, w) / 3);
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = Math.tanh(((r * r - (x - cx) ** 2 - (y - cy) ** 2) / (r * r)) * 3);
        for (let k = 0; k < c; k++) images[((i * h + y) * w + x) * c + k] = v;
      }
  }
  return ImageDataset.fromArrays({ images, imageShape: [h, w, c] });
}
