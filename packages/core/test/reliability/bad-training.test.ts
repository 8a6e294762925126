/** Bad-input catalogue, training: models, samplers, losses, hyperparameters, batches and backends. */
import { afterAll, beforeAll, describe } from 'vitest';
import {
  BackendUnavailableError,
  ImageDataset,
  InvalidArgumentError,
  ShapeMismatchError,
  Trainer,
  conditionalGanFromLayers,
  dcgan,
  ganFromLayers,
  imageGrid,
  lossFromConfig,
  mlpGan,
  normalSampler,
  tf,
  tfl,
  useBackend,
} from '@aigc/core';
import { catalogue } from './catalogue.js';

const tiny = () => mlpGan({ latentDim: 4, imageShape: [2, 2, 1], generatorUnits: [4], discriminatorUnits: [4], seed: 1 });
const gan = tiny();
const data = ImageDataset.fromArrays({ images: new Float32Array(16 * 4), imageShape: [2, 2, 1] });
const trainer = (options: ConstructorParameters<typeof Trainer>[1] = {}) => new Trainer(gan, { backend: 'cpu', batchSize: 4, ...options });
const dense = (inputShape: number[], units: number) => {
  const m = tfl.sequential();
  m.add(tfl.layers.flatten({ inputShape }));
  m.add(tfl.layers.dense({ units }));
  return m;
};
const generatorOf = (latent: number, shape: [number, number, number]) => {
  const m = tfl.sequential();
  m.add(tfl.layers.dense({ units: shape[0] * shape[1] * shape[2], inputShape: [latent] }));
  m.add(tfl.layers.reshape({ targetShape: shape }));
  return m;
};
/** Runs `fn` on a small 3-class conditional DCGAN, then disposes the model. */
const withConditional = <T>(fn: (m: ReturnType<typeof dcgan>) => T): T => {
  const m = dcgan({ resolution: 8, latentDim: 4, generatorFilters: 2, discriminatorFilters: 2, numClasses: 3, seed: 1 });
  try {
    return fn(m);
  } finally {
    m.dispose();
  }
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => gan.dispose());

describe('hyperparameters', () => {
  catalogue([
    {
      name: 'zero batch size',
      run: () => trainer({ batchSize: 0 }),
      error: InvalidArgumentError,
      what: /batchSize must be a positive integer, got 0/,
      fix: /positive integer/,
    },
    {
      name: 'fractional batch size',
      run: () => trainer({ batchSize: 2.5 }),
      error: InvalidArgumentError,
      what: /batchSize .* got 2\.5/,
      fix: /positive integer/,
    },
    {
      name: 'non-integer seed',
      run: () => trainer({ seed: NaN }),
      error: InvalidArgumentError,
      what: /seed must be an integer, got NaN/,
      fix: /integer/,
    },
    {
      name: 'negative learning rate',
      run: () => trainer({ optimizers: { generator: tf.train.adam(-2e-4) } }),
      error: InvalidArgumentError,
      what: /generator optimizer learning rate is -0\.0002/,
      fix: /finite learning rate >= 0/,
    },
    {
      name: 'NaN learning rate',
      run: () => trainer({ optimizers: { discriminator: tf.train.sgd(NaN) } }),
      error: InvalidArgumentError,
      what: /discriminator optimizer learning rate is NaN/,
      fix: /finite learning rate >= 0/,
    },
    {
      name: 'optimizer that is not an optimizer',
      run: () => trainer({ optimizers: { generator: 'adam' as unknown as tf.Optimizer } }),
      error: InvalidArgumentError,
      what: /generator optimizer must be a tfjs optimizer/,
      fix: /tf\.train\.adam/,
    },
    {
      name: 'loss object without loss functions',
      run: () => trainer({ loss: {} as never }),
      error: InvalidArgumentError,
      what: /loss must be a LossFn/,
      fix: /nonSaturatingLoss\(\)/,
    },
    {
      name: 'unknown loss name',
      run: () => lossFromConfig('wgan-gp-typo'),
      error: InvalidArgumentError,
      what: /Unknown loss "wgan-gp-typo"/,
      fix: /Built-in losses: .*non-saturating/,
    },
    {
      name: 'both epochs and steps',
      run: () => trainer().fit(data, { epochs: 1, steps: 3 }),
      error: InvalidArgumentError,
      what: /either epochs or steps/,
      fix: /not both/,
    },
    {
      name: 'zero steps',
      run: () => trainer().fit(data, { steps: 0 }),
      error: InvalidArgumentError,
      what: /steps must be a positive integer, got 0/,
      fix: /positive integer/,
    },
    {
      name: 'batch larger than the data',
      run: () => trainer({ batchSize: 64 }).fit(data, { steps: 1 }),
      error: InvalidArgumentError,
      what: /batchSize 64 is larger than the dataset \(16 images\)/,
      fix: /at most 16/,
    },
  ]);
});

describe('models, shapes and dtypes', () => {
  catalogue([
    {
      name: 'Trainer without a model',
      run: () => new Trainer(undefined as never),
      error: InvalidArgumentError,
      what: /Trainer needs a GanModel/,
      fix: /mlpGan\(\) or ganFromLayers/,
    },
    {
      name: 'sampler latent width not the model latentDim',
      run: () => trainer({ sampler: normalSampler(7) }),
      error: ShapeMismatchError,
      what: /latents of width 7 but the model's latentDim is 4/,
      fix: /latentDim/,
    },
    {
      name: 'data image shape not the model image shape',
      run: () => trainer().fit(ImageDataset.fromArrays({ images: new Float32Array(9 * 8), imageShape: [3, 3, 1] }), { steps: 1 }),
      error: ShapeMismatchError,
      what: /data's images are \[3, 3, 1\] but the model makes \[2, 2, 1\]/,
      fix: /model makes/,
    },
    {
      name: 'step on a batch of the wrong image shape',
      run: () => trainer().step({ images: tf.zeros([4, 3, 3, 1]) as tf.Tensor4D }),
      error: ShapeMismatchError,
      what: /Batch images have shape \[4, 3, 3, 1\]/,
      fix: /model makes \[n, 2, 2, 1\]/,
    },
    {
      name: 'step on int32 images',
      run: () => trainer().step({ images: tf.zeros([4, 2, 2, 1], 'int32') as tf.Tensor4D }),
      error: InvalidArgumentError,
      what: /float32 tensor/,
      fix: /ImageDataset\.batch/,
    },
    {
      name: 'step on a plain array instead of a tensor',
      run: () => trainer().step({ images: [[1]] as never }),
      error: InvalidArgumentError,
      what: /step needs \{ images \}/,
      fix: /ImageDataset\.batch/,
    },
    {
      name: 'step on an empty batch',
      run: () => trainer().step({ images: tf.zeros([0, 2, 2, 1]) as tf.Tensor4D }),
      error: InvalidArgumentError,
      what: /got 0/,
      fix: /positive integer/,
    },
    {
      name: 'latents of the wrong width given to generate',
      run: () => tf.tidy(() => gan.generate(tf.zeros([2, 5]) as tf.Tensor2D)),
      error: ShapeMismatchError,
      what: /latents of shape \[n, 4\], got \[2, 5\]/,
      fix: /sampler of width 4/,
    },
    {
      name: 'images of the wrong size given to discriminate',
      run: () => tf.tidy(() => gan.discriminate(tf.zeros([2, 3, 3, 1]) as tf.Tensor4D)),
      error: ShapeMismatchError,
      what: /images of shape \[n, 2, 2, 1\], got \[2, 3, 3, 1\]/,
      fix: /resize or reshape/,
    },
    {
      name: 'latents of the wrong width given to a conditional generator',
      run: () => withConditional((m) => tf.tidy(() => m.generate(tf.zeros([2, 6]) as tf.Tensor2D, tf.tensor1d([0, 1], 'int32')))),
      error: ShapeMismatchError,
      what: /latents of shape \[n, 4\], got \[2, 6\]/,
      fix: /sampler of width 4/,
    },
    {
      name: 'zero latent width',
      run: () => mlpGan({ latentDim: 0 }),
      error: InvalidArgumentError,
      what: /latentDim must be a positive integer, got 0/,
      fix: /positive integer/,
    },
    {
      name: 'negative hidden units',
      run: () => mlpGan({ generatorUnits: [16, -1] }),
      error: InvalidArgumentError,
      what: /generatorUnits .*\[16, -1\]/,
      fix: /positive integers/,
    },
    {
      name: 'DCGAN resolution that cannot be upsampled to',
      run: () => dcgan({ resolution: 30 }),
      error: InvalidArgumentError,
      what: /got 30/,
      fix: /28, 32, 64/,
    },
    {
      name: 'DCGAN conditioning without numClasses',
      run: () => dcgan({ conditioning: 'acgan' }),
      error: InvalidArgumentError,
      what: /conditioning needs numClasses/,
      fix: /pass both or neither/,
    },
    {
      name: 'zero images asked for',
      run: () => gan.sample(0),
      error: InvalidArgumentError,
      what: /n must be a positive integer, got 0/,
      fix: /positive integer/,
    },
    {
      name: 'sampling with a sampler of another latent width',
      run: () => gan.sample(2, { sampler: normalSampler(9) }),
      error: ShapeMismatchError,
      what: /latents of width 9, but the generator expects 4/,
      fix: /generator expects 4/,
    },
    {
      name: 'sampler with zero standard deviation',
      run: () => normalSampler(4, { stddev: 0 }),
      error: InvalidArgumentError,
      what: /stddev must be a positive finite number, got 0/,
      fix: /positive finite/,
    },
    {
      name: 'discriminator input not the generator output',
      run: () => ganFromLayers(generatorOf(4, [2, 2, 1]), dense([3, 3, 1], 1)),
      error: ShapeMismatchError,
      what: /generator outputs \[batch, 2, 2, 1\] but the discriminator takes \[batch, 3, 3, 1\]/,
      fix: /Make the discriminator input shape equal/,
    },
    {
      name: 'discriminator with two outputs per image',
      run: () => ganFromLayers(generatorOf(4, [2, 2, 1]), dense([2, 2, 1], 2)),
      error: ShapeMismatchError,
      what: /one logit per image.*got \[batch, 2\]/,
      fix: /shape \[batch, 1\]/,
    },
    {
      name: 'conditional generator without a label input',
      run: () => conditionalGanFromLayers(generatorOf(4, [2, 2, 1]), dense([2, 2, 1], 1), { numClasses: 3 }),
      error: ShapeMismatchError,
      what: /takes two inputs/,
      fix: /one-hot labels/,
    },
    {
      name: 'label count not the sample count',
      run: () => withConditional((m) => m.sample(4, { labels: [0, 1] })),
      error: ShapeMismatchError,
      what: /Got 2 labels for 4 images/,
      fix: /one label per image/,
    },
    {
      name: 'label outside the model classes',
      run: () => withConditional((m) => m.sample(2, { labels: [0, 3] })),
      error: InvalidArgumentError,
      what: /labels\[1\] is 3/,
      fix: /integers in \[0, 3\)/,
    },
    {
      name: 'image grid of a rank-3 tensor',
      run: () => imageGrid(tf.zeros([2, 2, 1]) as unknown as tf.Tensor4D),
      error: ShapeMismatchError,
      what: /got rank 3/,
      fix: /needs \[n, h, w, c\] images/,
    },
    {
      name: 'image grid of two-channel images',
      run: () => imageGrid(tf.zeros([1, 2, 2, 2]) as tf.Tensor4D),
      error: ShapeMismatchError,
      what: /got 2/,
      fix: /1, 3 or 4 channels/,
    },
  ]);
});

describe('backends', () => {
  catalogue([
    {
      name: 'unknown backend name',
      run: () => useBackend('tpu'),
      error: BackendUnavailableError,
      what: /Unknown backend "tpu"/,
      fix: /Known backends: cpu, wasm/,
    },
    {
      name: 'adapter package not installed',
      run: () =>
        useBackend('node-gpu', {
          importModule: async (pkg) => {
            throw Object.assign(new Error(`Cannot find package '${pkg}'`), { code: 'ERR_MODULE_NOT_FOUND' });
          },
        }),
      error: BackendUnavailableError,
      what: /needs the package @aigc\/backend-node-gpu, which is not installed/,
      fix: /npm install @aigc\/backend-node-gpu/,
    },
    {
      name: 'empty backend fallback list',
      run: () => useBackend([]),
      error: InvalidArgumentError,
      what: /backend list is empty/,
      fix: /Pass a name such as "wasm"/,
    },
    {
      name: 'backend given as a number',
      run: () => useBackend(42 as never),
      error: InvalidArgumentError,
      what: /Invalid backend 42/,
      fix: /pass a backend name/,
    },
    {
      name: 'fallback list where no backend loads',
      run: () => useBackend(['tpu', 'npu']),
      error: BackendUnavailableError,
      what: /None of the backends could be initialized:\n\s+tpu: Unknown backend "tpu"/,
      fix: /Known backends/,
    },
  ]);
});
