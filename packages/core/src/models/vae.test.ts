import { beforeAll, describe, expect, it, vi } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ModelFormatError, ShapeMismatchError } from '../errors.js';
import { reconstructionGrid, reconstructionGridAsync } from '../io/reconstruction-grid.js';
import { interpolate } from '../sampling/interpolate.js';
import { loadGenerator, saveGenerator } from '../node/model-io.js';
import { convVae, mlpVae } from './vae-builders.js';
import { isVae, reparameterize, vaeFromLayers } from './vae.js';
import { describeModel } from './kinds.js';
import { restoreModel } from './restore.js';
import type { VaeModel } from './vae.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layerSummary = (m: tfl.LayersModel) =>
  m.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => `${l.getClassName()}:${JSON.stringify(l.outputShape)}`);

const tiny = (seed = 1) => mlpVae({ latentDim: 3, imageShape: [4, 4, 1], encoderUnits: [8], decoderUnits: [8], seed });

describe('mlpVae / convVae', () => {
  it('mlpVae has the article sizes: 784 -> 128 -> (mu, logVar) of 100; decoder z100 -> 128 -> 784 -> 784 -> tanh', () => {
    const vae = mlpVae({ seed: 1 });
    expect(vae.latentDim).toBe(100);
    expect(vae.imageShape).toEqual([28, 28, 1]);
    expect(vae.likelihood).toBe('bernoulli');
    expect(layerSummary(vae.encoder)).toEqual(['Flatten:[null,784]', 'Dense:[null,128]', 'Dense:[null,200]']);
    expect(layerSummary(vae.generator)).toEqual(['Dense:[null,128]', 'Dense:[null,784]', 'Dense:[null,784]', 'Reshape:[null,28,28,1]', 'Activation:[null,28,28,1]']);
    expect(vae.decoder).toBe(vae.generator);
    vae.dispose();
  });

  it('convVae mirrors stride-2 convolutions for 28x28 and 32x32x3', () => {
    const vae = convVae({ seed: 1 });
    expect(vae.latentDim).toBe(32);
    expect(layerSummary(vae.encoder)).toEqual(['Conv2D:[null,14,14,32]', 'Conv2D:[null,7,7,64]', 'Flatten:[null,3136]', 'Dense:[null,64]']);
    expect(layerSummary(vae.generator)).toEqual([
      'Dense:[null,3136]',
      'Reshape:[null,7,7,64]',
      'Conv2DTranspose:[null,14,14,32]',
      'Conv2DTranspose:[null,28,28,1]',
      'Activation:[null,28,28,1]',
    ]);
    vae.dispose();
    const rgb = convVae({ imageShape: [32, 32, 3], latentDim: 8, filters: 4, seed: 2 });
    expect(layerSummary(rgb.generator).at(-1)).toBe('Activation:[null,32,32,3]');
    expect(layerSummary(rgb.encoder).slice(0, 3)).toEqual(['Conv2D:[null,16,16,4]', 'Conv2D:[null,8,8,8]', 'Conv2D:[null,4,4,16]']);
    rgb.dispose();
  });

  it('the same seed gives the same weights, another seed other weights', () => {
    const [a, b, c] = [tiny(1), tiny(1), tiny(2)];
    const w = (v: typeof a) => Array.from(v.encoder.getWeights()[0]!.dataSync());
    expect(w(a)).toEqual(w(b));
    expect(w(a)).not.toEqual(w(c));
    [a, b, c].forEach((v) => v.dispose());
  });

  it('bad options give typed errors that say what to pass', () => {
    expect(() => mlpVae({ latentDim: 0 })).toThrow(InvalidArgumentError);
    expect(() => mlpVae({ latentDim: '8' as unknown as number })).toThrow(/the string "8"/);
    expect(() => mlpVae({ imageShape: [1e6, 1e6, 1] })).toThrow(/2\^24/);
    expect(() => mlpVae({ imageShape: [4, 4] as unknown as [number, number, number] })).toThrow(InvalidArgumentError);
    expect(() => mlpVae({ encoderUnits: [8, -1] })).toThrow(/encoderUnits\[1\]/);
    expect(() => mlpVae({ likelihood: 'poisson' as 'gaussian' })).toThrow(/'bernoulli' or 'gaussian'/);
    expect(() => mlpVae({ likelihood: 'gaussian', gaussianStd: 0 })).toThrow(/gaussianStd/);
    expect(() => mlpVae({ gaussianStd: 0.1 })).toThrow(/likelihood 'gaussian' only/);
    expect(() => convVae({ imageShape: [28, 32, 1] })).toThrow(/square/);
    expect(() => convVae({ imageShape: [30, 30, 1] })).toThrow(/resolution/);
    expect(() => mlpVae(null as unknown as {})).toThrow(InvalidArgumentError);
    expect(tf.memory().numTensors).toBe(0);
  });

  it('vaeFromLayers checks the encoder/decoder shapes and the final tanh', () => {
    const dec = (act: string) => {
      const m = tfl.sequential();
      m.add(tfl.layers.dense({ units: 4, inputShape: [2] }));
      m.add(tfl.layers.reshape({ targetShape: [2, 2, 1] }));
      m.add(tfl.layers.activation({ activation: act as 'tanh' }));
      return m;
    };
    const enc = (out: number, side = 2) => {
      const m = tfl.sequential();
      m.add(tfl.layers.flatten({ inputShape: [side, side, 1] }));
      m.add(tfl.layers.dense({ units: out }));
      return m;
    };
    expect(isVae(vaeFromLayers(enc(4), dec('tanh')))).toBe(true);
    expect(() => vaeFromLayers(enc(4), dec('sigmoid'))).toThrow(/last layer must be/);
    expect(() => vaeFromLayers(enc(3), dec('tanh'))).toThrow(ShapeMismatchError);
    expect(() => vaeFromLayers(enc(4, 3), dec('tanh'))).toThrow(/encoder takes/);
    expect(isVae(mlpVae)).toBe(false);
  });
});

describe('VaeModel', () => {
  it('is an ImageGenerator: seeded samples, interpolation, and tanh(pre-activation) = generate', () => {
    const vae = tiny();
    const a = vae.sample(5, { seed: 3 });
    const b = vae.sample(5, { seed: 3 });
    expect(a.shape).toEqual([5, 4, 4, 1]);
    expect(Array.from(a.dataSync())).toEqual(Array.from(b.dataSync()));
    expect(Math.max(...Array.from(a.dataSync()).map(Math.abs))).toBeLessThanOrEqual(1);
    const path2 = tf.tidy(() => vae.generate(interpolate(tf.zeros([3]), tf.ones([3]), 4)));
    expect(path2.shape).toEqual([4, 4, 4, 1]);
    const z = tf.randomNormal([2, 3], 0, 1, 'float32', 9) as tf.Tensor2D;
    const diff = tf.tidy(() => tf.max(tf.abs(tf.sub(tf.tanh(vae.decodePreActivation(z)), vae.generate(z)))).dataSync()[0]);
    expect(diff).toBe(0);
    tf.dispose([a, b, path2, z]);
    vae.dispose();
  });

  it('encode gives mu and logVar [n, latentDim]; reconstruct decodes mu, or a seeded sample', () => {
    const vae = tiny();
    const x = tf.randomUniform([3, 4, 4, 1], -1, 1, 'float32', 1) as tf.Tensor4D;
    const { mu, logVar } = vae.encode(x);
    expect(mu.shape).toEqual([3, 3]);
    expect(logVar.shape).toEqual([3, 3]);
    const viaMu = vae.generate(mu);
    const rec = vae.reconstruct(x);
    expect(Array.from(rec.dataSync())).toEqual(Array.from(viaMu.dataSync()));
    const s1 = vae.reconstruct(x, { seed: 4 });
    const s2 = vae.reconstruct(x, { seed: 4 });
    const manual = tf.tidy(() => vae.generate(reparameterize(mu, logVar, 4)));
    expect(Array.from(s1.dataSync())).toEqual(Array.from(s2.dataSync()));
    expect(Array.from(s1.dataSync())).toEqual(Array.from(manual.dataSync()));
    expect(Array.from(s1.dataSync())).not.toEqual(Array.from(rec.dataSync()));
    expect(() => vae.encode(tf.zeros([1, 5, 5, 1]) as tf.Tensor4D)).toThrow(ShapeMismatchError);
    tf.dispose([x, mu, logVar, viaMu, rec, s1, s2, manual]);
    vae.dispose();
  });

  it('reparameterize: z = mu + exp(logVar / 2) * eps with the seeded eps of tf.randomNormal', () => {
    const mu = tf.tensor2d([[1, -1]]);
    const lv = tf.tensor2d([[Math.log(4), 0]]);
    const eps = tf.randomNormal([1, 2], 0, 1, 'float32', 7).dataSync();
    const z = reparameterize(mu, lv, 7).dataSync();
    expect(z[0]).toBeCloseTo(1 + 2 * eps[0]!, 5);
    expect(z[1]).toBeCloseTo(-1 + eps[1]!, 5);
    tf.dispose([mu, lv]);
  });

  it('reconstructionGrid puts each original beside its reconstruction', () => {
    const vae = tiny();
    const x = tf.randomUniform([4, 4, 4, 1], -1, 1, 'float32', 2) as tf.Tensor4D;
    const before = tf.memory().numTensors;
    const grid = reconstructionGrid(vae, x, { padding: 1 });
    expect(tf.memory().numTensors).toBe(before);
    // 2 pairs per row -> 4 tiles of 4 px + 5 px of padding = 21 wide; 2 rows -> 11 high.
    expect([grid.width, grid.height, grid.channels]).toEqual([21, 11, 1]);
    const px = (tile: number, row: number, y: number, xx: number) => grid.data[(1 + row * 5 + y) * 21 + 1 + tile * 5 + xx]!;
    const orig = x.dataSync();
    const rec = vae.reconstruct(x);
    const r = rec.dataSync();
    const to8 = (v: number) => Math.max(0, Math.min(255, Math.round((v + 1) * 127.5)));
    // Image 3 sits in row 1, pair 1: original in tile 2, reconstruction in tile 3.
    expect(px(2, 1, 2, 1)).toBe(to8(orig[3 * 16 + 2 * 4 + 1]!));
    expect(px(3, 1, 2, 1)).toBe(to8(r[3 * 16 + 2 * 4 + 1]!));
    expect(() => reconstructionGrid({} as never, x)).toThrow(InvalidArgumentError);
    tf.dispose([x, rec]);
    vae.dispose();
  });

  it('reconstructionGridAsync gives the same raster without synchronous reads', async () => {
    const vae = tiny();
    const x = tf.randomUniform([3, 4, 4, 1], -1, 1, 'float32', 4) as tf.Tensor4D;
    const sync = reconstructionGrid(vae, x, { columns: 2, seed: 1 });
    const before = tf.memory().numTensors;
    const spy = vi.spyOn(tf.Tensor.prototype, 'dataSync').mockImplementation(() => {
      throw new Error('dataSync() called');
    });
    try {
      const grid = await reconstructionGridAsync(vae, x, { columns: 2, seed: 1 });
      expect([grid.width, grid.height]).toEqual([sync.width, sync.height]);
      expect(Array.from(grid.data)).toEqual(Array.from(sync.data));
    } finally {
      spy.mockRestore();
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(reconstructionGridAsync({} as never, x)).rejects.toThrow(/reconstructionGridAsync needs a model/);
    x.dispose();
    vae.dispose();
  });

  it('the decoder saves with saveGenerator and loads back as a generator with the same outputs', async () => {
    for (const vae of [tiny(5), convVae({ imageShape: [8, 8, 1], latentDim: 2, filters: 2, seed: 5, likelihood: 'gaussian' })]) {
      const dir = mkdtempSync(path.join(tmpdir(), 'aigc-vae-'));
      await saveGenerator(vae, dir);
      const gen = await loadGenerator(dir);
      expect(gen.latentDim).toBe(vae.latentDim);
      expect(gen.imageShape).toEqual(vae.imageShape);
      const a = vae.sample(3, { seed: 11 });
      const b = gen.sample(3, { seed: 11 });
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
      gen.dispose();
      vae.dispose();
    }
  });

  it('is a registered model kind: restoreModel rebuilds it from its topologies (weights copied: same outputs)', async () => {
    const vae = convVae({ imageShape: [8, 8, 1], latentDim: 2, filters: 2, seed: 6, likelihood: 'gaussian', gaussianStd: 0.3 });
    const d = describeModel(vae)!;
    expect(d.kind).toBe('vae');
    expect(d.config).toEqual({ likelihood: 'gaussian', gaussianStd: 0.3 });
    expect(Object.keys(d.networks)).toEqual(['encoder', 'decoder']);
    const topologies = { encoder: vae.encoder.toJSON(null, false), decoder: vae.generator.toJSON(null, false) };
    const copy = (await restoreModel('vae', JSON.parse(JSON.stringify(d.config)), topologies)) as VaeModel;
    expect([copy.likelihood, copy.gaussianStd, copy.latentDim]).toEqual(['gaussian', 0.3, 2]);
    copy.encoder.setWeights(vae.encoder.getWeights());
    copy.generator.setWeights(vae.generator.getWeights());
    const x = tf.randomUniform([2, 8, 8, 1], -1, 1, 'float32', 3) as tf.Tensor4D;
    const [a, b] = [vae.reconstruct(x), copy.reconstruct(x)];
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([x, a, b]);
    const before = tf.memory().numTensors;
    await expect(restoreModel('vae', { likelihood: 'poisson', gaussianStd: 1 }, topologies)).rejects.toThrow(ModelFormatError);
    await expect(restoreModel('vae', d.config, { encoder: topologies.encoder })).rejects.toThrow(/lacks/);
    // The encoder of another VAE does not fit this decoder: refused, nothing left allocated.
    const other = tiny();
    await expect(restoreModel('vae', d.config, { ...topologies, encoder: other.encoder.toJSON(null, false) })).rejects.toThrow(/encoder takes/);
    other.dispose();
    expect(tf.memory().numTensors).toBe(before);
    copy.dispose();
    vae.dispose();
  });
});
