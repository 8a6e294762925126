import { encode } from 'fast-png';
import { InvalidArgumentError } from '../errors.js';
import type { RasterImage } from './grid.js';

/** Encodes an 8-bit raster (e.g. from {@link imageGrid}) as PNG bytes; works in Node and browsers. */
export function encodePng(image: RasterImage): Uint8Array {
  const { width, height, channels, data } = image ?? {};
  if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0 || ![1, 3, 4].includes(channels)) {
    throw new InvalidArgumentError('image', `A PNG needs a positive integer width and height and 1, 3 or 4 channels, got ${width}x${height}x${channels}; pass the output of imageGrid.`);
  }
  if (!(data instanceof Uint8Array) || data.length !== width * height * channels) {
    throw new InvalidArgumentError('image', `The raster has ${data?.length} bytes but ${width}x${height}x${channels} needs ${width * height * channels}; pass the output of imageGrid.`);
  }
  return encode({ width: image.width, height: image.height, data: image.data, channels: image.channels, depth: 8 });
}
