/** Painting 8-bit grayscale grids onto canvases, and checking what a canvas shows. */
import type { SampleGrid } from './protocol.js';

/** Paints `grid` into `canvas` at its native size (CSS scales it up, pixelated). */
export function paintGray(canvas: HTMLCanvasElement, grid: SampleGrid): void {
  canvas.width = grid.width;
  canvas.height = grid.height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  const image = ctx.createImageData(grid.width, grid.height);
  for (let i = 0; i < grid.gray.length; i++) {
    const v = grid.gray[i] as number;
    image.data[i * 4] = v;
    image.data[i * 4 + 1] = v;
    image.data[i * 4 + 2] = v;
    image.data[i * 4 + 3] = 255;
  }
  ctx.putImageData(image, 0, 0);
}
