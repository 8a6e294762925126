/** Turns generated images into an 8-bit grid for a canvas, without a synchronous GPU read. */
import { imageGrid, tf } from '@aigc/core';
import type { SampleGrid } from './protocol.js';

/** Reads `images` ([n, h, w, 1 or 3] in [-1, 1]) asynchronously and lays them out `columns` wide, `padding` pixels apart (default 1). */
export async function gridOf(images: tf.Tensor4D, columns: number, padding = 1): Promise<SampleGrid> {
  const values = (await images.data()) as Float32Array;
  // A tensor made from values keeps them on the CPU, so imageGrid's dataSync reads no GPU memory.
  const onCpu = tf.tensor4d(values, images.shape as [number, number, number, number]);
  try {
    const raster = imageGrid(onCpu, { columns, padding, background: 24 });
    if (raster.channels === 4) throw new Error('Generated images have 4 channels; the page shows 1 (gray) or 3 (RGB).');
    return { width: raster.width, height: raster.height, channels: raster.channels, pixels: raster.data };
  } finally {
    onCpu.dispose();
  }
}
