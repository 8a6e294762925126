import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { decode } from 'fast-png';
import { tf } from '../tf.js';
import { imageGrid } from '../io/grid.js';
import { encodePng } from '../io/png.js';
import { Trainer } from '../training/trainer.js';
import { sampleGridCallback } from '../training/callbacks.js';
import { colourShapes } from '../data/colour-shapes.test-utils.js';
import type { RasterImage } from '../io/grid.js';
import { useBackend } from '../backends/registry.js';
import { dcgan } from './dcgan.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('colour images through models and outputs', () => {
  for (const resolution of [32, 64]) {
    it(`dcgan trains at ${resolution}x${resolution}x3 and samples RGB images (wasm)`, async () => {
      await useBackend('wasm');
      const gan = dcgan({ resolution, channels: 3, latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed: 3 });
      expect(gan.imageShape).toEqual([resolution, resolution, 3]);
      const trainer = new Trainer(gan, { backend: 'wasm', batchSize: 4, seed: 1 });
      const w0 = Array.from(gan.generator.getWeights()[0]!.dataSync().slice(0, 16));
      const h = await trainer.fit(colourShapes(8, resolution), { steps: 2 });
      expect(h.steps).toBe(2);
      h.metrics.forEach((m) => expect(Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss)).toBe(true));
      expect(Array.from(gan.generator.getWeights()[0]!.dataSync().slice(0, 16))).not.toEqual(w0);
      const s = trainer.sample(2, { seed: 0 });
      expect(s.shape).toEqual([2, resolution, resolution, 3]);
      s.dispose();
      trainer.dispose();
      gan.dispose();
    });
  }

  it('a 3-channel grid round-trips through the PNG encoder with the right pixel values', () => {
    // Two 2x2 RGB images: pure red, green, blue, white / black, mid-gray, -0.5 and clipped values.
    const values = [1, -1, -1, -1, 1, -1, -1, -1, 1, 1, 1, 1, -1, -1, -1, 0, 0, 0, -0.5, 0.5, 0.25, 3, -3, 0.999];
    const images = tf.tensor4d(values, [2, 2, 2, 3]);
    const grid = imageGrid(images, { columns: 2, padding: 1, background: 7 });
    images.dispose();
    expect([grid.width, grid.height, grid.channels]).toEqual([7, 4, 3]);
    const png = decode(encodePng(grid));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([7, 4, 3, 8]);
    const px = (x: number, y: number) => Array.from(png.data.slice((y * 7 + x) * 3, (y * 7 + x) * 3 + 3));
    const to8 = (v: number) => Math.min(255, Math.max(0, Math.round(((v + 1) * 255) / 2)));
    // Image 0 at x 1..2, image 1 at x 4..5, both at y 1..2.
    expect(px(1, 1)).toEqual([255, 0, 0]);
    expect(px(2, 1)).toEqual([0, 255, 0]);
    expect(px(1, 2)).toEqual([0, 0, 255]);
    expect(px(2, 2)).toEqual([255, 255, 255]);
    expect(px(4, 1)).toEqual([0, 0, 0]);
    expect(px(5, 1)).toEqual([128, 128, 128]);
    expect(px(4, 2)).toEqual([-0.5, 0.5, 0.25].map(to8));
    expect(px(5, 2)).toEqual([255, 0, to8(0.999)]);
    expect(px(0, 0)).toEqual([7, 7, 7]);
    expect(px(3, 1)).toEqual([7, 7, 7]);
    expect(Array.from(png.data)).toEqual(Array.from(grid.data));
  });

  it('the sample-grid callback makes RGB grids; a conditional model takes numClasses from colour data, one row per class', async () => {
    await useBackend('cpu');
    const data = colourShapes(8, 16, 2, true);
    expect(data.numClasses).toBe(2);
    const gan = dcgan({ resolution: 16, channels: 3, latentDim: 8, generatorFilters: 4, discriminatorFilters: 4, seed: 5, numClasses: data.numClasses });
    const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 4, seed: 1 });
    const grids: RasterImage[] = [];
    const h = await trainer.fit(data, { steps: 2, callbacks: [sampleGridCallback({ every: 1, count: 3, onGrid: (g) => void grids.push(g) })] });
    expect(h.steps).toBe(2);
    expect(grids).toHaveLength(2);
    const g = grids[0]!;
    // 3 columns, 2 class rows of 16x16 tiles with 2-pixel padding.
    expect([g.width, g.height, g.channels]).toEqual([3 * 16 + 4 * 2, 2 * 16 + 3 * 2, 3]);
    const png = decode(encodePng(g));
    expect(png.channels).toBe(3);
    expect(Array.from(png.data)).toEqual(Array.from(g.data));
    // Colour, not gray replicated: some tile pixel has unequal channels.
    let coloured = false;
    for (let k = 0; k < g.data.length; k += 3) if (g.data[k] !== g.data[k + 1] || g.data[k + 1] !== g.data[k + 2]) coloured = true;
    expect(coloured).toBe(true);
    trainer.dispose();
    gan.dispose();
  });
});
