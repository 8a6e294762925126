import { ImageDataset } from '../data/dataset.js';

/**
 * Two-class toy images in [-1, 1]: class 0 has bright top rows, class 1 bright bottom rows.
 * Labeled when `labels` is true. Deterministic.
 */
export function toyImages(n: number, size = 8, labels = false): ImageDataset {
  const images = new Float32Array(n * size * size).fill(-1);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const top = i % 2 === 0;
    classes[i] = top ? 0 : 1;
    for (let y = 0; y < size / 2; y++) {
      for (let x = 0; x < size; x++) images[i * size * size + (top ? y : y + size / 2) * size + x] = 0.9;
    }
  }
  return labels
    ? ImageDataset.fromArrays({ images, imageShape: [size, size, 1], labels: classes, numClasses: 2 })
    : ImageDataset.fromArrays({ images, imageShape: [size, size, 1] });
}
