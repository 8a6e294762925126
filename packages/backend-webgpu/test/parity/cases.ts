/**
 * The parity cases: the same seeded model, data and optimizer trained for a few steps, run
 * unchanged in Node (cpu, wasm, webgpu through Dawn) and in headless Chromium (bundled). Models
 * and losses are discovered from the exports of @aigc/core at run time, so a new builder or
 * loss joins the suite (or fails it loudly, see `missingModelConfigs`).
 */
import * as core from '@aigc/core';
import { ImageDataset, Trainer, tf, useBackend, type BackendSpec, type GanModel, type LossFn } from '@aigc/core';

/** One model × loss combination. */
export interface ParityCase {
  readonly model: string;
  readonly loss: string;
}

/** What one backend produced for one case. */
export interface ParityResult extends ParityCase {
  /** The backend the trainer reported (`history.backend`). */
  readonly backend: string;
  /** `[dLoss, gLoss]` of every step. */
  readonly losses: Array<[number, number]>;
  /** Every trainable weight of G then D after training, flattened. */
  readonly weights: number[];
  /** Tensors left allocated by the case (must be 0). */
  readonly leakedTensors: number;
  /** Wall time of the case in ms (not asserted). */
  readonly ms: number;
}

/** A case that threw: the message must name what is missing. */
export interface ParityFailure extends ParityCase {
  readonly backend: string;
  readonly error: string;
}

/** Steps per case and images per step: small enough for CI on 2 cores, enough to compound differences. */
export const PARITY_STEPS = 4;
export const PARITY_BATCH = 8;
/** Adam learning rate of the parity runs: large enough that 4 steps move every weight measurably. */
export const PARITY_LR = 1e-3;
const IMAGES = 32;

type Builder = (options: Record<string, unknown>) => GanModel;

/**
 * Small configurations of each model builder. A builder exported by @aigc/core without an entry
 * here fails the suite (see {@link missingModelConfigs}); add one when you add a builder.
 */
export const MODEL_CONFIGS: Readonly<Record<string, Record<string, unknown>>> = {
  mlpGan: { latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed: 7 },
  // Two stride-2 stages (4 -> 8 -> 16), so transposed and strided convolutions and their gradients all run.
  dcgan: { latentDim: 8, resolution: 16, channels: 1, generatorFilters: 8, discriminatorFilters: 8, kernelSize: 5, seed: 7 },
};

const exported = core as unknown as Record<string, unknown>;

/** Names of the GAN builders @aigc/core exports (functions named `...Gan`/`...gan`, except `ganFromLayers`). */
export function modelBuilders(): string[] {
  return Object.keys(exported)
    .filter((k) => typeof exported[k] === 'function' && /gan$/i.test(k) && k !== 'ganFromLayers')
    .sort();
}

/** Builders exported by core that have no small configuration in {@link MODEL_CONFIGS}. */
export function missingModelConfigs(): string[] {
  return modelBuilders().filter((k) => MODEL_CONFIGS[k] === undefined);
}

function isLossFn(value: unknown): value is LossFn {
  const v = value as Partial<LossFn> | undefined;
  return typeof v?.discriminatorLoss === 'function' && typeof v.generatorLoss === 'function' && typeof v.name === 'string';
}

/** Names of the loss factories @aigc/core exports: zero-argument `...Loss` functions returning a LossFn. */
export function lossFactories(): string[] {
  return Object.keys(exported)
    .filter((k) => {
      const f = exported[k];
      if (typeof f !== 'function' || !/Loss$/.test(k) || f.length !== 0) return false;
      try {
        return isLossFn((f as () => unknown)());
      } catch {
        return false;
      }
    })
    .sort();
}

/** Every model × loss case available in this build of @aigc/core. */
export function parityCases(): ParityCase[] {
  return modelBuilders()
    .filter((m) => MODEL_CONFIGS[m] !== undefined)
    .flatMap((model) => lossFactories().map((loss) => ({ model, loss })));
}

/** Deterministic two-mode toy images in [-1, 1] (bright top half or bright bottom half, with a ramp). */
export function toyImages(shape: readonly [number, number, number], n = IMAGES): Float32Array {
  const [h, w, c] = shape;
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) {
        const bright = i % 2 === 0 ? y < h / 2 : y >= h / 2;
        for (let ch = 0; ch < c; ch++) out[((i * h + y) * w + x) * c + ch] = bright ? 0.9 - (0.05 * x) / w : -1 + (0.1 * (i % 5)) / 5;
      }
    }
  }
  return out;
}

/** Reads asynchronously: webgpu's dataSync needs OffscreenCanvas, which Node lacks. */
async function flatWeights(model: GanModel): Promise<number[]> {
  const vars = [...model.generatorVariables(), ...model.discriminatorVariables()];
  const out: number[] = [];
  for (const v of vars) for (const x of await v.data()) out.push(x);
  return out;
}

/**
 * Adam(1e-3, beta1 0.5) with epsilon 1e-4 instead of tfjs' 1e-7. Some gradient components are
 * zero in exact arithmetic (the relativistic loss cancels D's output bias) and float noise
 * (~1e-9) elsewhere; with a tiny epsilon Adam turns that noise into full +-lr steps whose sign
 * differs between backends. With 1e-4 such noise moves a weight by < 1e-5 * lr.
 */
export function parityAdam(learningRate = PARITY_LR): tf.Optimizer {
  return tf.train.adam(learningRate, 0.5, 0.999, 1e-4);
}

/** Trains one case on `backend` and returns its losses and final weights. Throws what the backend throws. */
export async function runCase(c: ParityCase, backend: BackendSpec, learningRate = PARITY_LR): Promise<Omit<ParityResult, 'leakedTensors' | 'ms'>> {
  const config = MODEL_CONFIGS[c.model];
  const build = exported[c.model] as Builder | undefined;
  const makeLoss = exported[c.loss] as (() => LossFn) | undefined;
  if (!config || !build || !makeLoss) throw new Error(`Unknown parity case ${c.model} × ${c.loss}.`);
  // Activate first so variables are created on the backend under test.
  await useBackend(backend);
  const model = build(config);
  const imageShape = [...model.imageShape] as [number, number, number];
  const data = ImageDataset.fromArrays({ images: toyImages(imageShape), imageShape });
  const trainer = new Trainer(model, {
    backend,
    loss: makeLoss(),
    batchSize: PARITY_BATCH,
    seed: 3,
    optimizers: { generator: parityAdam(learningRate), discriminator: parityAdam(learningRate) },
  });
  try {
    const history = await trainer.fit(data, { steps: PARITY_STEPS });
    const weights = await flatWeights(model);
    return {
      ...c,
      backend: history.backend,
      losses: history.metrics.map((m) => [m.dLoss, m.gLoss] as [number, number]),
      weights,
    };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/** Runs `runCase` and also measures time and leaked tensors; failures become {@link ParityFailure}s. */
export async function runCases(cases: readonly ParityCase[], backend: BackendSpec, label: string): Promise<Array<ParityResult | ParityFailure>> {
  const out: Array<ParityResult | ParityFailure> = [];
  for (const c of cases) {
    const start = Date.now();
    try {
      await useBackend(backend);
      const before = tf.memory().numTensors;
      const r = await runCase(c, backend);
      out.push({ ...r, leakedTensors: tf.memory().numTensors - before, ms: Date.now() - start });
    } catch (e) {
      out.push({ ...c, backend: label, error: (e as Error)?.message ?? String(e) });
    }
  }
  return out;
}
