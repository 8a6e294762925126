import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../../tf.js';
import { InvalidArgumentError } from '../../errors.js';
import { modelFromTopology } from '../../io/safe-model.js';
import { MinibatchStdDev, effectiveGroupSize, minibatchStdDev } from './minibatch-std.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('MinibatchStdDev', () => {
  it('appends the mean std across each group (sample i in group i % (n / groupSize)), by hand', () => {
    // Groups of 2 in a batch of 4: {0, 2} and {1, 3}.
    // {[0, 0], [2, 4]}: per-feature std [1, 2] -> 1.5;  {[1, 1], [1, 3]}: std [0, 1] -> 0.5.
    const layer = minibatchStdDev({ groupSize: 2, epsilon: 0 });
    const x = tf.tensor2d([[0, 0], [1, 1], [2, 4], [1, 3]]);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([4, 3]);
    expect(Array.from(y.dataSync())).toEqual([0, 0, 1.5, 1, 1, 0.5, 2, 4, 1.5, 1, 3, 0.5]);
    tf.dispose([x, y]);
  });

  it('adds one constant feature map to image batches, with the default epsilon', () => {
    // One group of 4 images [1, 2, 1]; pixel values per image: (a, b).
    const values = [[0, 0], [2, 2], [0, 4], [2, 6]];
    const x = tf.tensor4d(values.flat(), [4, 1, 2, 1]);
    const y = minibatchStdDev().apply(x) as tf.Tensor;
    expect(y.shape).toEqual([4, 1, 2, 2]);
    // Pixel a: values 0, 2, 0, 2 -> std 1; pixel b: 0, 2, 4, 6 -> std sqrt(5).
    const expected = (Math.sqrt(1 + 1e-8) + Math.sqrt(5 + 1e-8)) / 2;
    const out = y.arraySync() as number[][][][];
    for (let i = 0; i < 4; i++) {
      for (let p = 0; p < 2; p++) {
        expect(out[i]![0]![p]![0]).toBe(values[i]![p]);
        expect(out[i]![0]![p]![1]).toBeCloseTo(expected, 5);
      }
    }
    tf.dispose([x, y]);
  });

  it('uses the largest group size dividing the batch, and passes gradients to its input', () => {
    expect(effectiveGroupSize(6, 4)).toBe(3);
    expect(effectiveGroupSize(7, 4)).toBe(1);
    expect(effectiveGroupSize(2, 4)).toBe(2);
    expect(effectiveGroupSize(128, 4)).toBe(4);
    const layer = minibatchStdDev({ groupSize: 4 });
    const x = tf.randomNormal([6, 5], 0, 1, 'float32', 1);
    const y = layer.apply(x) as tf.Tensor;
    expect(y.shape).toEqual([6, 6]);
    // With a batch of 7 the group is one image: std 0 (plus epsilon) everywhere.
    const x7 = tf.randomNormal([7, 3], 0, 1, 'float32', 2);
    const y7 = layer.apply(x7) as tf.Tensor;
    expect(Math.max(...Array.from(tf.slice(y7, [0, 3], [7, 1]).dataSync()))).toBeLessThan(1e-3);
    const g = tf.grad((t: tf.Tensor) => tf.sum(tf.slice(layer.apply(t) as tf.Tensor, [0, 5], [6, 1])))(x);
    expect(Math.max(...Array.from(g.dataSync()).map(Math.abs))).toBeGreaterThan(1e-3);
    tf.dispose([x, y, x7, y7, g]);
  });

  it('serialises: saved config loads back in tfjs-layers and through the checkpoint loader', async () => {
    const m = tfl.sequential();
    m.add(minibatchStdDev({ groupSize: 2, inputShape: [3, 3, 1] }));
    m.add(tfl.layers.flatten());
    m.add(tfl.layers.dense({ units: 1 }));
    const json = m.toJSON(null, false) as { config: { layers: Array<{ class_name: string; config: Record<string, unknown> }> } };
    expect(json.config.layers[0]?.class_name).toBe('MinibatchStdDev');
    expect(json.config.layers[0]?.config['group_size']).toBe(2);
    let artifacts: tf.io.ModelArtifacts | undefined;
    await m.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = await tfl.loadLayersModel(tf.io.fromMemory(artifacts!));
    expect(loaded.layers[0]).toBeInstanceOf(MinibatchStdDev);
    expect((loaded.layers[0] as MinibatchStdDev).groupSize).toBe(2);
    const rebuilt = await modelFromTopology(json, 1e6, 'test');
    rebuilt.setWeights(m.getWeights());
    const x = tf.randomNormal([4, 3, 3, 1], 0, 1, 'float32', 3);
    const [a, b, c] = [m, loaded, rebuilt].map((model) => model.predict(x) as tf.Tensor);
    expect(Array.from(b!.dataSync())).toEqual(Array.from(a!.dataSync()));
    expect(Array.from(c!.dataSync())).toEqual(Array.from(a!.dataSync()));
    const before = tf.memory().numTensors;
    tf.dispose(m.apply(x, { training: true }) as tf.Tensor);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([x, a!, b!, c!]);
    m.dispose();
    loaded.dispose();
    rebuilt.dispose();
  });

  it('rejects a bad group size or epsilon', () => {
    expect(() => minibatchStdDev({ groupSize: 0 })).toThrow(InvalidArgumentError);
    expect(() => minibatchStdDev({ groupSize: 1.5 })).toThrow(InvalidArgumentError);
    expect(() => minibatchStdDev({ epsilon: -1 })).toThrow(InvalidArgumentError);
  });
});
