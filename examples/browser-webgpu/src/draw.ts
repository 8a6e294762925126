/** Painting 8-bit gray or RGB grids onto canvases. */
import type { SampleGrid } from './protocol.js';

/** Paints `grid` into `canvas` at its native size (CSS scales it up, pixelated). */
export function paintGrid(canvas: HTMLCanvasElement, grid: SampleGrid): void {
  canvas.width = grid.width;
  canvas.height = grid.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(grid.width, grid.height);
  const c = grid.channels;
  for (let i = 0, n = grid.width * grid.height; i < n; i++) {
    image.data[i * 4] = grid.pixels[i * c] as number;
    image.data[i * 4 + 1] = grid.pixels[i * c + (c === 3 ? 1 : 0)] as number;
    image.data[i * 4 + 2] = grid.pixels[i * c + (c === 3 ? 2 : 0)] as number;
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
