import { ImageDataset } from './dataset.js';
import { Rng } from '../random/rng.js';

/** Background and shape colours (RGB in [-1, 1]) of {@link colourShapes}. */
export const SHAPE_BACKGROUNDS: readonly (readonly [number, number, number])[] = [
  [-0.8, -0.8, 0.6], // blue
  [0.7, 0.7, -0.6], // yellow
];
export const SHAPE_COLOUR: readonly [number, number, number] = [0.9, -0.9, -0.9]; // red

/**
 * Coloured shapes on coloured backgrounds, `size x size x 3` in [-1, 1]: a red square (class 0)
 * or a red disc (class 1), of side about size/2 at a random place, on a blue or yellow background.
 * Deterministic for a seed; labeled by shape when `labels` is true.
 */
export function colourShapes(n: number, size = 32, seed = 1, labels = false): ImageDataset {
  const rng = new Rng(seed);
  const images = new Float32Array(n * size * size * 3);
  const classes = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const shape = i % 2;
    classes[i] = shape;
    const bg = SHAPE_BACKGROUNDS[rng.nextInt(2)]!;
    const r = Math.round(size / 4);
    const cx = r + rng.nextInt(size - 2 * r);
    const cy = r + rng.nextInt(size - 2 * r);
    for (let y = 0; y < size; y++) {
      for (let x = 0; x < size; x++) {
        const inside = shape === 0 ? Math.abs(x - cx) < r && Math.abs(y - cy) < r : (x - cx) ** 2 + (y - cy) ** 2 < r * r;
        const c = inside ? SHAPE_COLOUR : bg;
        images.set(c, ((i * size + y) * size + x) * 3);
      }
    }
  }
  return labels
    ? ImageDataset.fromArrays({ images, imageShape: [size, size, 3], labels: classes, numClasses: 2 })
    : ImageDataset.fromArrays({ images, imageShape: [size, size, 3] });
}

/** Colour statistics of `[n, h, w, 3]` pixels: the fraction that are near red, near blue and near yellow (within 0.5 per channel). */
export function colourFractions(pixels: Float32Array): { red: number; blue: number; yellow: number } {
  const near = (k: number, c: readonly number[]) => Math.abs(pixels[k]! - c[0]!) < 0.5 && Math.abs(pixels[k + 1]! - c[1]!) < 0.5 && Math.abs(pixels[k + 2]! - c[2]!) < 0.5;
  let red = 0, blue = 0, yellow = 0;
  const count = pixels.length / 3;
  for (let k = 0; k < pixels.length; k += 3) {
    if (near(k, SHAPE_COLOUR)) red++;
    else if (near(k, SHAPE_BACKGROUNDS[0]!)) blue++;
    else if (near(k, SHAPE_BACKGROUNDS[1]!)) yellow++;
  }
  return { red: red / count, blue: blue / count, yellow: yellow / count };
}

/** Mean Euclidean RGB distance from each pixel of `[n, h, w, 3]` pixels to the nearest of the data's three colours. */
export function meanPaletteDistance(pixels: Float32Array): number {
  const palette = [SHAPE_COLOUR, ...SHAPE_BACKGROUNDS];
  let total = 0;
  for (let k = 0; k < pixels.length; k += 3) {
    let best = Infinity;
    for (const c of palette) best = Math.min(best, Math.hypot(pixels[k]! - c[0], pixels[k + 1]! - c[1], pixels[k + 2]! - c[2]));
    total += best;
  }
  return total / (pixels.length / 3);
}
