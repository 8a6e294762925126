import { encode } from 'fast-png';
import type { RasterImage } from './grid.js';

/** Encodes an 8-bit raster (e.g. from {@link imageGrid}) as PNG bytes; works in Node and browsers. */
export function encodePng(image: RasterImage): Uint8Array {
  return encode({ width: image.width, height: image.height, data: image.data, channels: image.channels, depth: 8 });
}
