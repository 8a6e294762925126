/** Side-by-side sample grids with pixel-text labels above each panel (for `compare.png`). */
import type { RasterImage } from '@aigc/core';

/** A 3x5 pixel font: each glyph is five rows of three bits (most significant bit = left pixel). */
const FONT: Readonly<Record<string, readonly number[]>> = {
  A: [2, 5, 7, 5, 5], B: [6, 5, 6, 5, 6], C: [3, 4, 4, 4, 3], D: [6, 5, 5, 5, 6], E: [7, 4, 6, 4, 7],
  F: [7, 4, 6, 4, 4], G: [3, 4, 5, 5, 3], H: [5, 5, 7, 5, 5], I: [7, 2, 2, 2, 7], J: [1, 1, 1, 5, 2],
  K: [5, 5, 6, 5, 5], L: [4, 4, 4, 4, 7], M: [5, 7, 7, 5, 5], N: [6, 5, 5, 5, 5], O: [2, 5, 5, 5, 2],
  P: [6, 5, 6, 4, 4], Q: [2, 5, 5, 6, 3], R: [6, 5, 6, 5, 5], S: [3, 4, 2, 1, 6], T: [7, 2, 2, 2, 2],
  U: [5, 5, 5, 5, 7], V: [5, 5, 5, 5, 2], W: [5, 5, 7, 7, 5], X: [5, 5, 2, 5, 5], Y: [5, 5, 2, 2, 2],
  Z: [7, 1, 2, 4, 7], '0': [7, 5, 5, 5, 7], '1': [2, 6, 2, 2, 7], '2': [6, 1, 2, 4, 7], '3': [6, 1, 2, 1, 6],
  '4': [5, 5, 7, 1, 1], '5': [7, 4, 6, 1, 6], '6': [3, 4, 7, 5, 7], '7': [7, 1, 2, 2, 2], '8': [7, 5, 7, 5, 7],
  '9': [7, 5, 7, 1, 6], ' ': [0, 0, 0, 0, 0], '+': [0, 2, 7, 2, 0], '-': [0, 0, 7, 0, 0], '.': [0, 0, 0, 0, 2],
  ',': [0, 0, 0, 2, 4], '(': [1, 2, 2, 2, 1], ')': [4, 2, 2, 2, 4], '/': [1, 1, 2, 4, 4], ':': [0, 2, 0, 2, 0],
};

/** Width in pixels of `text` drawn at `scale` (4 font columns per character, the last one a gap). */
export function textWidth(text: string, scale: number): number {
  return text.length * 4 * scale - scale;
}

/** Draws upper-cased `text` into a gray raster at (x, y); characters without a glyph are drawn as blanks. */
export function drawText(image: { width: number; data: Uint8Array }, text: string, x: number, y: number, scale = 2, value = 255): void {
  [...text.toUpperCase()].forEach((ch, i) => {
    const glyph = FONT[ch] ?? FONT[' ']!;
    glyph.forEach((bits, row) => {
      for (let col = 0; col < 3; col++) {
        if (((bits >> (2 - col)) & 1) === 0) continue;
        for (let dy = 0; dy < scale; dy++) {
          for (let dx = 0; dx < scale; dx++) {
            image.data[(y + row * scale + dy) * image.width + x + (i * 4 + col) * scale + dx] = value;
          }
        }
      }
    });
  });
}

/** Places gray panels side by side, each with its label above it, on a black background. */
export function sideBySide(panels: ReadonlyArray<{ label: string; image: RasterImage }>, options: { gap?: number; scale?: number } = {}): RasterImage {
  const gap = options.gap ?? 12;
  const scale = options.scale ?? 2;
  if (panels.some((p) => p.image.channels !== 1)) throw new Error('sideBySide draws gray (1-channel) panels.');
  const labelHeight = 5 * scale + 2 * gap / 2;
  const widths = panels.map((p) => Math.max(p.image.width, textWidth(p.label, scale)));
  const width = widths.reduce((a, b) => a + b, 0) + gap * (panels.length + 1);
  const height = labelHeight + Math.max(...panels.map((p) => p.image.height)) + gap;
  const out = { width, height, channels: 1 as const, data: new Uint8Array(width * height) };
  let x0 = gap;
  panels.forEach((p, k) => {
    drawText(out, p.label, x0, gap / 2, scale);
    for (let y = 0; y < p.image.height; y++) {
      out.data.set(p.image.data.subarray(y * p.image.width, (y + 1) * p.image.width), (labelHeight + y) * width + x0);
    }
    x0 += (widths[k] as number) + gap;
  });
  return out;
}
