import { encodePng } from '../io/png.js';
import type { RasterImage } from '../io/grid.js';
import { writeFileAtomic } from './atomic.js';

/** Writes a raster (e.g. from `imageGrid`) as a PNG file, atomically. */
export async function writePng(file: string, image: RasterImage): Promise<void> {
  await writeFileAtomic(file, encodePng(image));
}
