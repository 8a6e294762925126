import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';
import { modelFromTopology } from '../../io/safe-model.js';
import { Trainer } from '../../training/trainer.js';
import { toyImages } from '../../training/toy-data.test-utils.js';
import { mlpGan } from '../mlp-gan.js';
import { SpectralNormalization, spectralNormalization } from './spectral-norm.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Largest singular value of a row-major `rows x cols` matrix, by 3,000 float64 power iterations on AᵀA (independent of the layer). */
function topSingularValue(data: ArrayLike<number>, rows: number, cols: number): number {
  let x = Array.from({ length: cols }, (_, i) => Math.sin(i + 1));
  let norm = 0;
  for (let it = 0; it < 3000; it++) {
    const ax = Array.from({ length: rows }, (_, r) => x.reduce((s, xc, c) => s + (data[r * cols + c] as number) * xc, 0));
    const atax = Array.from({ length: cols }, (_, c) => ax.reduce((s, a, r) => s + (data[r * cols + c] as number) * a, 0));
    norm = Math.sqrt(atax.reduce((s, v) => s + v * v, 0));
    x = atax.map((v) => v / norm);
  }
  return Math.sqrt(norm);
}

/** The wrapped layer's kernel reshaped to `[-1, last]`, as values, rows and columns. */
function kernelMatrix(kernel: tf.Tensor): { data: Float32Array; rows: number; cols: number } {
  const cols = kernel.shape[kernel.rank - 1] as number;
  return { data: kernel.dataSync() as Float32Array, rows: kernel.size / cols, cols };
}

const cases: Array<[string, () => tfl.layers.Layer, number[]]> = [
  ['Dense', () => tfl.layers.dense({ units: 12, kernelInitializer: tfl.initializers.randomNormal({ stddev: 1, seed: 1 }) }), [3, 20]],
  ['Conv2D', () => tfl.layers.conv2d({ filters: 6, kernelSize: 3, padding: 'same', kernelInitializer: tfl.initializers.randomNormal({ stddev: 1, seed: 2 }) }), [2, 5, 5, 3]],
  ['Conv2DTranspose', () => tfl.layers.conv2dTranspose({ filters: 4, kernelSize: 3, strides: 2, padding: 'same', kernelInitializer: tfl.initializers.randomNormal({ stddev: 1, seed: 3 }) }), [2, 3, 3, 5]],
];

describe('SpectralNormalization', () => {
  for (const [name, make, inputShape] of cases) {
    it(`${name}: after enough training calls the normalized kernel's largest singular value is 1`, () => {
      const sn = spectralNormalization({ layer: make(), seed: 4 });
      const x = tf.randomNormal(inputShape, 0, 1, 'float32', 5);
      for (let i = 0; i < 100; i++) tf.dispose(sn.apply(x, { training: true }) as tf.Tensor);
      const raw = (sn.layer as unknown as { kernel: { read(): tf.Tensor } }).kernel.read();
      const m = kernelMatrix(raw);
      const sigmaRaw = topSingularValue(m.data, m.rows, m.cols);
      expect(sigmaRaw).toBeGreaterThan(2); // the raw kernel is far from normalized
      const { kernel, sigma } = sn.normalizedKernel(false);
      expect(sigma.dataSync()[0]).toBeCloseTo(sigmaRaw, 2);
      const n = kernelMatrix(kernel);
      expect(Math.abs(topSingularValue(n.data, n.rows, n.cols) - 1)).toBeLessThan(1e-3);
      // The layer computes with W / σ: same output as the plain layer given the normalized kernel.
      const y = sn.apply(x) as tf.Tensor;
      const plain = make();
      plain.apply(x);
      plain.setWeights([kernel, ...sn.layer.getWeights().slice(1)]);
      const yPlain = plain.apply(x) as tf.Tensor;
      expect(tf.max(tf.abs(tf.sub(y, yPlain))).dataSync()[0]).toBeLessThan(1e-5);
      tf.dispose([x, kernel, sigma, y, yPlain]);
      sn.dispose();
      plain.dispose();
    });
  }

  it('updates u in training mode only, 1 power iteration per call by default', () => {
    const sn = spectralNormalization({ layer: tfl.layers.dense({ units: 4 }), seed: 1 });
    const x = tf.ones([2, 6]);
    tf.dispose(sn.apply(x) as tf.Tensor);
    const u = () => Array.from(sn.nonTrainableWeights[0]!.read().dataSync());
    const u0 = u();
    tf.dispose(sn.apply(x, { training: false }) as tf.Tensor);
    expect(u()).toEqual(u0);
    tf.dispose(sn.apply(x, { training: true }) as tf.Tensor);
    const u1 = u();
    expect(u1).not.toEqual(u0);
    // One iteration: u1 = normalize(normalize(u0 Wᵀ) W).
    const w = sn.layer.getWeights()[0] as tf.Tensor2D;
    const expected = tf.tidy(() => {
      const v = tf.matMul(tf.tensor2d([u0]), w, false, true);
      const uu = tf.matMul(tf.div(v, tf.norm(v)), w);
      return Array.from(tf.div(uu, tf.norm(uu)).dataSync());
    });
    u1.forEach((value, i) => expect(value).toBeCloseTo(expected[i] as number, 5));
    expect(sn.powerIterations).toBe(1);
    expect(sn.trainableWeights.map((v) => v.name.split('/').pop())).toEqual(['kernel', 'bias']);
    expect(sn.nonTrainableWeights.map((v) => v.name.split('/').pop())).toEqual(['u']);
    tf.dispose(x);
    sn.dispose();
  });

  it('gradients flow to the kernel through σ and match finite differences', () => {
    const sn = spectralNormalization({ layer: tfl.layers.dense({ units: 3, kernelInitializer: tfl.initializers.randomNormal({ seed: 8 }) }), seed: 2 });
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 9);
    const c = tf.randomNormal([4, 3], 0, 1, 'float32', 10);
    tf.dispose(sn.apply(x, { training: true }) as tf.Tensor);
    const kernel = sn.trainableWeights[0]!.read() as tf.Variable;
    const f = () => tf.sum(tf.mul(sn.apply(x, { training: false }) as tf.Tensor, c)) as tf.Scalar;
    const { grads, value } = tf.variableGrads(f, [kernel, sn.trainableWeights[1]!.read() as tf.Variable]);
    const g = grads[kernel.name]!.dataSync();
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    expect(Math.max(...Array.from(g).map(Math.abs))).toBeGreaterThan(1e-3);
    const base = kernel.dataSync().slice();
    const eps = 1e-2;
    for (const index of [0, 4, 7, 13]) {
      const at = (delta: number) => {
        const w = base.slice();
        w[index] = (w[index] as number) + delta;
        kernel.assign(tf.tensor(w, kernel.shape));
        return tf.tidy(() => f().dataSync()[0] as number);
      };
      const numeric = (at(eps) - at(-eps)) / (2 * eps);
      expect(g[index]).toBeCloseTo(numeric, 2);
    }
    tf.dispose([x, c, value, ...Object.values(grads)]);
    sn.dispose();
  });

  it('leaks no tensors in training or inference calls, nor under gradients', () => {
    const sn = spectralNormalization({ layer: tfl.layers.conv2d({ filters: 2, kernelSize: 3 }) });
    const x = tf.ones([2, 5, 5, 1]);
    tf.dispose(sn.apply(x, { training: true }) as tf.Tensor);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) {
      tf.dispose(sn.apply(x, { training: true }) as tf.Tensor);
      tf.dispose(sn.apply(x) as tf.Tensor);
      const { value, grads } = tf.variableGrads(() => tf.sum(sn.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, sn.trainableWeights.map((w) => w.read() as tf.Variable));
      tf.dispose([value, ...Object.values(grads)]);
    }
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose(x);
    sn.dispose();
  });

  it('saves and loads back in tfjs-layers (and through the checkpoint loader) with identical outputs and u', async () => {
    const make = () => {
      const m = tfl.sequential();
      m.add(spectralNormalization({ layer: tfl.layers.conv2d({ filters: 3, kernelSize: 3, padding: 'same' }), inputShape: [6, 6, 2], seed: 1 }));
      m.add(spectralNormalization({ layer: tfl.layers.conv2dTranspose({ filters: 2, kernelSize: 3, strides: 2, padding: 'same' }), powerIterations: 2 }));
      m.add(tfl.layers.flatten());
      m.add(spectralNormalization({ layer: tfl.layers.dense({ units: 1, activation: 'tanh' }) }));
      return m;
    };
    const model = make();
    const x = tf.randomNormal([3, 6, 6, 2], 0, 1, 'float32', 3);
    for (let i = 0; i < 3; i++) tf.dispose(model.apply(x, { training: true }) as tf.Tensor);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const json = JSON.stringify(artifacts!.modelTopology);
    expect(json).toContain('"class_name":"SpectralNormalization"');
    expect(json).toContain('"power_iterations":2');
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[1]).toBeInstanceOf(SpectralNormalization);
    expect((loaded.layers[1] as SpectralNormalization).powerIterations).toBe(2);
    const y = model.predict(x) as tf.Tensor;
    const yLoaded = loaded.predict(x) as tf.Tensor;
    expect(Array.from(yLoaded.dataSync())).toEqual(Array.from(y.dataSync()));
    const names = (m: tfl.LayersModel) => m.weights.map((w) => (w as unknown as { originalName: string }).originalName);
    expect(names(loaded)).toEqual(names(model));
    loaded.weights.forEach((w, i) => expect(Array.from(w.read().dataSync())).toEqual(Array.from(model.weights[i]!.read().dataSync())));
    // The checkpoint path rebuilds from topology JSON and sets the weights in order.
    const rebuilt = await modelFromTopology(model.toJSON(null, false), 1e6, 'test');
    rebuilt.setWeights(model.getWeights());
    const yRebuilt = rebuilt.predict(x) as tf.Tensor;
    expect(Array.from(yRebuilt.dataSync())).toEqual(Array.from(y.dataSync()));
    tf.dispose([x, y, yLoaded, yRebuilt]);
    model.dispose();
    loaded.dispose();
    rebuilt.dispose();
  });

  it('resumes a GAN with a spectral-normed D exactly on cpu, u included', async () => {
    const data = toyImages(64, 4);
    const build = () => mlpGan({ seed: 3, imageShape: [4, 4, 1], latentDim: 4, generatorUnits: [8], discriminatorUnits: [8], spectralNorm: true, minibatchStd: true, discriminatorActivation: 'leakyRelu' });
    const options = { backend: 'cpu' as const, batchSize: 8, seed: 5 };
    const values = (t: Trainer) => [...t.model.generator!.weights, ...t.model.discriminator!.weights].map((w) => Array.from(w.read().dataSync()));
    const whole = new Trainer(build(), options);
    const h = await whole.fit(data, { steps: 6 });
    const first = new Trainer(build(), options);
    const h1 = await first.fit(data, { steps: 3 });
    const checkpoint = await first.checkpoint();
    expect(checkpoint.arrays.filter((a) => a.name.startsWith('discriminator/')).length).toBe(first.model.discriminator!.weights.length);
    const second = await Trainer.fromCheckpoint(checkpoint, { backend: 'cpu' });
    expect(second.model.discriminator!.layers.some((l) => l instanceof SpectralNormalization)).toBe(true);
    const h2 = await second.fit(data, { steps: 3 });
    expect([...h1.metrics, ...h2.metrics].map((m) => [m.dLoss, m.gLoss])).toEqual(h.metrics.map((m) => [m.dLoss, m.gLoss]));
    expect(values(second)).toEqual(values(whole));
    for (const t of [whole, first, second]) {
      t.dispose();
      t.model.dispose();
    }
  });

  it('rejects a layer without a kernel and bad powerIterations', () => {
    expect(() => spectralNormalization({ layer: tfl.layers.dense({ units: 1 }), powerIterations: 0 })).toThrow(InvalidArgumentError);
    expect(() => spectralNormalization({ layer: undefined as unknown as tfl.layers.Layer })).toThrow(InvalidArgumentError);
    const sn = spectralNormalization({ layer: tfl.layers.flatten() });
    expect(() => sn.apply(tf.ones([1, 2, 2]))).toThrow(/needs a layer with a kernel/);
  });
});
