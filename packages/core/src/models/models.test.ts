import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, ShapeMismatchError } from '../errors.js';
import { conditionalGanFromLayers } from './conditional-gan.js';
import { dcgan, dcganStages } from './dcgan.js';
import { ganFromLayers } from './layers-gan.js';
import { ganModelSpec, restoreGanModel } from './restore.js';
import { hasAuxiliaryClassifier } from './types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const layerSummary = (m: tfl.LayersModel) =>
  m.layers.filter((l) => l.getClassName() !== 'InputLayer').map((l) => `${l.getClassName()}:${JSON.stringify(l.outputShape)}`);

describe('dcgan', () => {
  it('builds the standard 28x28x1 pair layer by layer', () => {
    const gan = dcgan({ seed: 1 });
    expect(layerSummary(gan.generator)).toEqual([
      'Dense:[null,6272]',
      'BatchNormalization:[null,6272]',
      'LeakyReLU:[null,6272]',
      'Reshape:[null,7,7,128]',
      'Conv2DTranspose:[null,14,14,64]',
      'BatchNormalization:[null,14,14,64]',
      'LeakyReLU:[null,14,14,64]',
      'Conv2DTranspose:[null,28,28,1]',
    ]);
    expect(layerSummary(gan.discriminator)).toEqual([
      'Conv2D:[null,14,14,64]',
      'LeakyReLU:[null,14,14,64]',
      'Conv2D:[null,7,7,128]',
      'LeakyReLU:[null,7,7,128]',
      'Flatten:[null,6272]',
      'Dense:[null,1]',
    ]);
    const convs = gan.generator.layers.filter((l) => l.getClassName() === 'Conv2DTranspose');
    expect(convs.map((l) => (l.getConfig() as { kernelSize: number[] }).kernelSize)).toEqual([[5, 5], [5, 5]]);
    expect((convs[1]?.getConfig() as { activation: string }).activation).toBe('tanh');
    const images = gan.sample(3, { seed: 2 });
    expect(images.shape).toEqual([3, 28, 28, 1]);
    const v = Array.from(images.dataSync());
    expect(Math.max(...v.map(Math.abs))).toBeLessThanOrEqual(1);
    tf.dispose(images);
    gan.dispose();
  });

  it('supports resolutions 32 and 64 (more stride-2 stages) and RGB', () => {
    expect(dcganStages(28)).toEqual({ base: 7, stages: 2 });
    expect(dcganStages(32)).toEqual({ base: 4, stages: 3 });
    expect(dcganStages(64)).toEqual({ base: 4, stages: 4 });
    for (const resolution of [32, 64]) {
      const gan = dcgan({ resolution, channels: 3, generatorFilters: 4, discriminatorFilters: 4 });
      expect(gan.imageShape).toEqual([resolution, resolution, 3]);
      const x = gan.sample(2);
      const d = gan.discriminate(x);
      expect(x.shape).toEqual([2, resolution, resolution, 3]);
      expect(d.shape).toEqual([2, 1]);
      tf.dispose([x, d]);
      gan.dispose();
    }
    expect(() => dcgan({ resolution: 30 })).toThrow(InvalidArgumentError);
    expect(() => dcgan({ resolution: 6 })).toThrow(/resolution/);
  });

  it('is reproducible under a seed (N(0, 0.02) init) and differs across seeds', () => {
    const weights = (seed: number) => {
      const gan = dcgan({ seed, generatorFilters: 4, discriminatorFilters: 4 });
      const w = gan.discriminator.getWeights()[0]!;
      const values = Array.from(w.dataSync());
      gan.dispose();
      return values;
    };
    const a = weights(3);
    expect(weights(3)).toEqual(a);
    expect(weights(4)).not.toEqual(a);
    const std = Math.sqrt(a.reduce((s, v) => s + v * v, 0) / a.length);
    expect(std).toBeGreaterThan(0.015);
    expect(std).toBeLessThan(0.025);
  });

  it('samples in inference mode: BN uses moving statistics, so an image does not depend on its batch', () => {
    const gan = dcgan({ seed: 1, generatorFilters: 4, discriminatorFilters: 4 });
    const z = tf.randomNormal([4, 100], 0, 1, 'float32', 5) as tf.Tensor2D;
    const all = gan.generate(z, undefined, false);
    const first = gan.generate(tf.slice(z, [0, 0], [1, 100]), undefined, false);
    const diff = tf.max(tf.abs(tf.sub(tf.slice(all, [0, 0, 0, 0], [1, 28, 28, 1]), first))).dataSync()[0] as number;
    expect(diff).toBeLessThan(1e-5);
    // Training mode normalizes with batch statistics: the same image changes with its batch.
    const trainAll = gan.generate(z, undefined, true);
    const trainFirst = gan.generate(tf.slice(z, [0, 0], [2, 100]), undefined, true);
    const trainDiff = tf.max(tf.abs(tf.sub(tf.slice(trainAll, [0, 0, 0, 0], [1, 28, 28, 1]), tf.slice(trainFirst, [0, 0, 0, 0], [1, 28, 28, 1])))).dataSync()[0] as number;
    expect(trainDiff).toBeGreaterThan(1e-4);
    tf.dispose([z, all, first, trainAll, trainFirst]);
    gan.dispose();
  });
});

describe('conditional models', () => {
  for (const conditioning of ['projection', 'concat', 'acgan'] as const) {
    it(`${conditioning}: labels change G's output and D's logit`, () => {
      const gan = dcgan({ numClasses: 3, conditioning, generatorFilters: 4, discriminatorFilters: 4, seed: 2 });
      expect(gan.numClasses).toBe(3);
      expect(hasAuxiliaryClassifier(gan)).toBe(conditioning === 'acgan');
      const z = tf.randomNormal([2, 100], 0, 1, 'float32', 1) as tf.Tensor2D;
      const a = gan.generate(z, tf.tensor1d([0, 0], 'int32'));
      const b = gan.generate(z, tf.tensor1d([2, 2], 'int32'));
      expect(tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]).toBeGreaterThan(1e-6);
      const logits0 = gan.discriminate(a, tf.tensor1d([0, 0], 'int32'));
      const logits1 = gan.discriminate(a, tf.tensor1d([1, 1], 'int32'));
      expect(logits0.shape).toEqual([2, 1]);
      const labelEffect = tf.max(tf.abs(tf.sub(logits0, logits1))).dataSync()[0] as number;
      // ACGAN's D ignores labels; projection/concat D depend on them.
      if (conditioning === 'acgan') {
        expect(labelEffect).toBe(0);
        if (hasAuxiliaryClassifier(gan)) expect(gan.discriminateWithClasses(a).classLogits.shape).toEqual([2, 3]);
      } else expect(labelEffect).toBeGreaterThan(1e-7);
      expect(() => gan.generate(z)).toThrow(/conditional on 3 classes/);
      gan.dispose();
    });
  }

  it('sample() cycles classes by default and checks given labels', () => {
    const gan = dcgan({ numClasses: 2, generatorFilters: 4, discriminatorFilters: 4, seed: 1 });
    const cycled = gan.sample(4, { seed: 3 });
    const explicit = gan.sample(4, { seed: 3, labels: [0, 1, 0, 1] });
    expect(Array.from(cycled.dataSync())).toEqual(Array.from(explicit.dataSync()));
    expect(() => gan.sample(2, { labels: [0, 2] })).toThrow(InvalidArgumentError);
    expect(() => gan.sample(2, { labels: [0] })).toThrow(ShapeMismatchError);
    tf.dispose([cycled, explicit]);
    gan.dispose();
  });

  it('reports G/D shape mismatches with both shapes', () => {
    const g = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [4], units: 16 }), tfl.layers.reshape({ targetShape: [4, 4, 1] })] });
    const d = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [5, 5, 1] }), tfl.layers.dense({ units: 1 })] });
    let error: unknown;
    try {
      ganFromLayers(g, d);
    } catch (e) {
      error = e;
    }
    expect(ShapeMismatchError.isInstance(error)).toBe(true);
    expect((error as Error).message).toContain('[batch, 4, 4, 1]');
    expect((error as Error).message).toContain('[batch, 5, 5, 1]');
    const z = tfl.input({ shape: [4] });
    const y = tfl.input({ shape: [3] });
    const cg = tfl.model({ inputs: [z, y], outputs: tfl.layers.reshape({ targetShape: [4, 4, 1] }).apply(tfl.layers.dense({ units: 16 }).apply(tfl.layers.concatenate().apply([z, y]))) as tfl.SymbolicTensor });
    expect(() => conditionalGanFromLayers(cg, d, { numClasses: 3 })).toThrow(/\[batch, 4, 4, 1\]/);
    expect(() => conditionalGanFromLayers(cg, d, { numClasses: 5 })).toThrow(ShapeMismatchError);
  });

  it('round-trips through its spec and topology JSON', async () => {
    const gan = dcgan({ numClasses: 3, conditioning: 'acgan', generatorFilters: 4, discriminatorFilters: 4 });
    const spec = ganModelSpec(gan);
    expect(spec).toEqual({ kind: 'conditional', numClasses: 3, auxiliaryClassifier: true });
    const copy = await restoreGanModel(spec!, gan.generator.toJSON(null, false), gan.discriminator.toJSON(null, false));
    expect(copy.numClasses).toBe(3);
    expect(hasAuxiliaryClassifier(copy)).toBe(true);
    expect(copy.generator.countParams()).toBe(gan.generator.countParams());
    copy.dispose();
    gan.dispose();
  });
});
