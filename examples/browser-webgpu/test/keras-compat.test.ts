/**
 * What "Keras-compatible" means for docs/scaling.md, tested as far as this machine allows (no
 * Python TensorFlow here): saved models are tfjs layers-models that `tfl.loadLayersModel` reads
 * back exactly, their topology uses Keras' class names and snake_case configs, and a model.json
 * in the layout tensorflowjs_converter writes for a Keras model loads with loadGenerator.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { dcgan, mlpGan, tf, tfl, type LayersGan } from '@aigc/core';
import { loadGenerator, loadLayersModelFromDir, saveLayersModelToDir } from '@aigc/core/node';

/** Layer classes that exist under the same name in Keras (tf.keras 2.x and Keras 3). */
const KERAS_LAYERS = new Set([
  'InputLayer', 'Dense', 'Reshape', 'Flatten', 'Conv2D', 'Conv2DTranspose', 'BatchNormalization',
  'LeakyReLU', 'ReLU', 'Activation', 'Dropout', 'Concatenate', 'Embedding', 'UpSampling2D', 'ZeroPadding2D', 'Cropping2D',
]);
const KERAS_INITIALIZERS = new Set(['VarianceScaling', 'RandomNormal', 'TruncatedNormal', 'Zeros', 'Ones', 'Constant', 'GlorotUniform', 'GlorotNormal']);

interface LayerJson {
  class_name: string;
  config: Record<string, unknown>;
}

function layersOf(topology: { class_name: string; config: { layers: LayerJson[] } }): LayerJson[] {
  return topology.config.layers;
}

/** Every object key in `value`, recursively. */
function keysOf(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) value.forEach((v) => keysOf(v, out));
  else if (value && typeof value === 'object') {
    for (const [k, v] of Object.entries(value)) {
      out.push(k);
      keysOf(v, out);
    }
  }
  return out;
}

let dir: string;
beforeAll(async () => {
  await tf.setBackend('cpu');
  dir = mkdtempSync(join(tmpdir(), 'aigc-keras-compat-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const builders: Array<[string, () => LayersGan]> = [
  ['mlpGan', () => mlpGan({ seed: 3 })],
  ['dcgan', () => dcgan({ seed: 3, generatorFilters: 8, discriminatorFilters: 8 })],
];

describe('saved models use Keras topology', () => {
  for (const [name, build] of builders) {
    it(`${name}: G and D save as Keras-named layers-models and load back exactly`, async () => {
      const gan = build();
      const before = tf.memory().numTensors;
      for (const [part, model] of [
        ['generator', gan.generator],
        ['discriminator', gan.discriminator],
      ] as const) {
        const out = join(dir, `${name}-${part}`);
        await saveLayersModelToDir(model, out);
        const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8'));
        expect(json.format).toBe('layers-model');
        expect(['Sequential', 'Model']).toContain(json.modelTopology.class_name); // Keras reads 'Model' as Functional
        expect(json.modelTopology.backend).toBe('tensor_flow.js');
        const layers = layersOf(json.modelTopology);
        for (const layer of layers) expect(KERAS_LAYERS, `layer class ${layer.class_name}`).toContain(layer.class_name);
        // Keras configs are snake_case: no camelCase key anywhere in the topology.
        const camel = keysOf(json.modelTopology).filter((k) => /^[a-z]+[A-Z]/.test(k));
        expect(camel).toEqual([]);
        for (const layer of layers) {
          const init = layer.config.kernel_initializer as { class_name: string } | undefined;
          if (init) expect(KERAS_INITIALIZERS).toContain(init.class_name);
        }
        // Weight names follow Keras' "<layer name>/<weight>" scheme.
        const names: string[] = json.weightsManifest[0].weights.map((w: { name: string }) => w.name);
        for (const n of names) expect(n).toMatch(/^[A-Za-z0-9_]+\/(kernel|bias|gamma|beta|moving_mean|moving_variance)$/);

        const { model: loaded } = await loadLayersModelFromDir(out);
        const input = tf.randomNormal([3, ...(model.inputs[0]!.shape.slice(1) as number[])], 0, 1, 'float32', 5);
        const a = model.predict(input) as tf.Tensor;
        const b = loaded.predict(input) as tf.Tensor;
        expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
        tf.dispose([input, a, b]);
        loaded.dispose();
      }
      gan.dispose();
      expect(tf.memory().numTensors).toBeLessThanOrEqual(before);
    });
  }
});

describe('models converted from Keras load for sampling', () => {
  it('reads a model.json in the layout tensorflowjs_converter writes for a Keras Sequential', async () => {
    // Modelled on `tensorflowjs_converter --input_format keras` output for
    // keras.Sequential([Input((4,)), Dense(6, activation='tanh'), Reshape((2, 3, 1))]).
    const out = join(dir, 'from-keras');
    const kernel = Float32Array.from({ length: 24 }, (_, i) => ((i % 7) - 3) / 10);
    const bias = Float32Array.from({ length: 6 }, (_, i) => i / 20);
    const modelJson = {
      format: 'layers-model',
      generatedBy: 'keras v2.15.0',
      convertedBy: 'TensorFlow.js Converter v4.22.0',
      modelTopology: {
        keras_version: '2.15.0',
        backend: 'tensorflow',
        model_config: {
          class_name: 'Sequential',
          config: {
            name: 'sequential',
            layers: [
              { class_name: 'InputLayer', config: { batch_input_shape: [null, 4], dtype: 'float32', sparse: false, ragged: false, name: 'input_1' } },
              {
                class_name: 'Dense',
                config: {
                  name: 'dense', trainable: true, dtype: 'float32', units: 6, activation: 'tanh', use_bias: true,
                  kernel_initializer: { module: 'keras.initializers', class_name: 'GlorotUniform', config: { seed: null }, registered_name: null },
                  bias_initializer: { module: 'keras.initializers', class_name: 'Zeros', config: {}, registered_name: null },
                  kernel_regularizer: null, bias_regularizer: null, activity_regularizer: null, kernel_constraint: null, bias_constraint: null,
                },
              },
              { class_name: 'Reshape', config: { name: 'reshape', trainable: true, dtype: 'float32', target_shape: [2, 3, 1] } },
            ],
          },
        },
        training_config: { loss: 'mse', optimizer_config: { class_name: 'Adam', config: { learning_rate: 0.001 } } },
      },
      weightsManifest: [
        {
          paths: ['group1-shard1of1.bin'],
          weights: [
            { name: 'dense/kernel', shape: [4, 6], dtype: 'float32' },
            { name: 'dense/bias', shape: [6], dtype: 'float32' },
          ],
        },
      ],
    };
    (await import('node:fs')).mkdirSync(out, { recursive: true });
    writeFileSync(join(out, 'model.json'), JSON.stringify(modelJson));
    const weights = new Uint8Array(kernel.byteLength + bias.byteLength);
    weights.set(new Uint8Array(kernel.buffer), 0);
    weights.set(new Uint8Array(bias.buffer), kernel.byteLength);
    writeFileSync(join(out, 'group1-shard1of1.bin'), weights);

    const gen = await loadGenerator(out);
    expect(gen.latentDim).toBe(4);
    expect([...gen.imageShape]).toEqual([2, 3, 1]);
    const z = tf.tensor2d([[1, -1, 0.5, 2]]);
    const images = gen.generate(z);
    const expected = Array.from({ length: 6 }, (_, j) =>
      Math.tanh([1, -1, 0.5, 2].reduce((s, zi, i) => s + zi * (kernel[i * 6 + j] as number), bias[j] as number)),
    );
    const got = Array.from(images.dataSync());
    got.forEach((v, i) => expect(v).toBeCloseTo(expected[i] as number, 6));
    tf.dispose([z, images]);
    gen.dispose();
    expect(tfl).toBeDefined();
  });
});
