/**
 * The default wasm backend ('auto') on a machine with 2 free cores (injected probe) starts 2
 * threads, and every model kind trains on it within the parity tolerance of cpu (1e-5, as in
 * wasm-threads.test.ts and the VAE parity test).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import * as wasmPkg from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { useBackend } from '../registry.js';
import { wasmThreadsInfo } from '../wasm.js';
import { mlpGan } from '../../models/mlp-gan.js';
import { dcgan } from '../../models/dcgan.js';
import { convVae, mlpVae } from '../../models/vae-builders.js';
import { ImageDataset } from '../../data/dataset.js';
import { Trainer } from '../../training/trainer.js';
import { nonSaturatingLoss } from '../../losses/non-saturating.js';
import type { GanModel } from '../../models/types.js';
import type { VaeModel } from '../../models/vae.js';
import { threadProbe, WASM_THREADS_ENV } from './choice.js';
import '../../training/objectives/vae.js'; // registers the 'vae' objective (the package index imports it for users)

// The fast suite pins threads off through the variable (vitest.config.ts); this file tests the default.
delete process.env[WASM_THREADS_ENV];
const probe = threadProbe.node;

function images(h: number, w: number, c: number, n = 32): ImageDataset {
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919 + (i % 13) * 31) % 200) / 100 - 1;
  return ImageDataset.fromArrays({ images: out, imageShape: [h, w, c], labels: Int32Array.from({ length: n }, (_, i) => i % 2) });
}

type Model = GanModel | VaeModel;
const isVae = (m: Model): m is VaeModel => 'encoderVariables' in m;
const variables = (m: Model) => (isVae(m) ? [...m.encoderVariables(), ...m.decoderVariables()] : [...m.generatorVariables(), ...m.discriminatorVariables()]);

/** 4 Trainer steps on `backend`; tfjs' Adam (epsilon 1e-4) or the default optimizers (aigc's fused Adam). */
async function train(build: () => Model, backend: 'cpu' | 'wasm', tfjsAdam: boolean) {
  await useBackend(backend);
  const model = build();
  const [h, w, c] = model.imageShape;
  const adam = () => tf.train.adam(1e-3, 0.5, 0.999, 1e-4);
  const gan = !isVae(model);
  const trainer = new Trainer(model as GanModel, {
    backend,
    batchSize: 8,
    seed: 3,
    ...(gan ? { loss: nonSaturatingLoss() } : {}),
    ...(gan && tfjsAdam ? { optimizers: { generator: adam(), discriminator: adam() } } : {}),
  });
  try {
    const history = await trainer.fit(images(h, w, c), { steps: 4 });
    const parts: number[] = [];
    for (const v of variables(model)) parts.push(...(await v.data()));
    const losses = history.metrics.flatMap((m) => Object.entries(m).filter(([k, v]) => /loss|kl/i.test(k) && typeof v === 'number').map(([, v]) => v as number));
    return { info: trainer.backendInfo, losses, weights: Float32Array.from(parts), initial: variables(build()).length };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
};

const small = { latentDim: 8, resolution: 16, generatorFilters: 8, discriminatorFilters: 8, seed: 7 };
const models: Array<[string, () => Model, boolean]> = [
  ['mlpGan, tfjs Adam', () => mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed: 7 }), true],
  ['mlpGan, default optimizers', () => mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed: 7 }), false],
  ['dcgan 16x16x1, tfjs Adam', () => dcgan({ ...small, channels: 1, kernelSize: 5 }), true],
  ['dcgan 16x16x3, default optimizers', () => dcgan({ ...small, channels: 3 }), false],
  ['conditional dcgan, default optimizers', () => dcgan({ ...small, channels: 1, numClasses: 2 }), false],
  ['mlpVae', () => mlpVae({ imageShape: [8, 8, 1], latentDim: 2, encoderUnits: [32], decoderUnits: [32], seed: 5 }), false],
  ['convVae', () => convVae({ imageShape: [8, 8, 1], latentDim: 2, filters: 2, seed: 5 }), false],
];

describe("the default wasm backend ('auto') with 2 free cores", () => {
  beforeAll(() => {
    threadProbe.node = () => ({ cores: 2, load: 0.2 });
  });
  afterAll(async () => {
    threadProbe.node = probe;
    await tf.setBackend('cpu');
  });

  it('starts 2 XNNPACK threads and says why', async () => {
    expect(tf.engine().registry['wasm']).toBeUndefined();
    await useBackend();
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmPkg.getThreadsCount()).toBe(2);
    expect(wasmThreadsInfo()).toEqual({ threads: 2, setting: 'auto', source: 'default', reason: 'auto: 1.80 of 2 cores free (load average 0.20)' });
  });

  it.each(models)('%s: 4 steps match cpu within 1e-5', async (_, build, tfjsAdam) => {
    const ref = await train(build, 'cpu', tfjsAdam);
    const got = await train(build, 'wasm', tfjsAdam);
    expect(got.info).toEqual({ name: 'wasm', threads: 2, threadsReason: 'auto: 1.80 of 2 cores free (load average 0.20)' });
    expect(wasmPkg.getThreadsCount()).toBe(2);
    expect(got.losses.length).toBeGreaterThan(0);
    expect(got.losses.every(Number.isFinite)).toBe(true);
    const lossDiff = maxAbsDiff(got.losses, ref.losses);
    const weightDiff = maxAbsDiff(got.weights, ref.weights);
    console.log(`${_}: threaded default vs cpu: max |loss diff| ${lossDiff.toExponential(2)}, max |weight diff| ${weightDiff.toExponential(2)}`);
    expect(lossDiff).toBeLessThanOrEqual(1e-5 * Math.max(1, ...ref.losses.map(Math.abs)));
    expect(weightDiff).toBeLessThan(1e-5);
    // The run moved the weights, so equal weights are not equal initial values.
    const initial = build();
    const init: number[] = [];
    for (const v of variables(initial)) init.push(...(await v.data()));
    initial.dispose();
    expect(maxAbsDiff(got.weights, init)).toBeGreaterThan(1e-4);
  });
});
