/**
 * VAE parity cases: the same seeded VAE, data and optimizers trained for a few steps on each
 * backend; losses (loss, reconstruction, kl per step) and every weight must match cpu within
 * the tolerances of compare.ts.
 */
import { convVae, ImageDataset, mlpVae, Rng, tf, useBackend, vaeObjective, type BackendSpec, type VaeModel } from '@aigc/core';
import { PARITY_BATCH, PARITY_STEPS, parityAdam, toyImages, type ParityFailure, type ParityResult } from './cases.js';

/** Small configurations: an MLP VAE per likelihood and a convolutional one (strided and transposed convolutions). */
export const VAE_CONFIGS: Readonly<Record<string, () => VaeModel>> = {
  'mlpVae bernoulli': () => mlpVae({ latentDim: 4, imageShape: [8, 8, 1], encoderUnits: [16], decoderUnits: [16], seed: 7 }),
  'mlpVae gaussian': () => mlpVae({ latentDim: 4, imageShape: [8, 8, 1], encoderUnits: [16], decoderUnits: [16], likelihood: 'gaussian', seed: 7 }),
  'convVae bernoulli': () => convVae({ latentDim: 4, imageShape: [16, 16, 1], filters: 4, seed: 7 }),
};

/** Every VAE case, named `model × likelihood` like the GAN cases (`loss` holds the likelihood). */
export function vaeParityCases(): Array<{ model: string; loss: string }> {
  return Object.keys(VAE_CONFIGS).map((k) => {
    const [model, loss] = k.split(' ') as [string, string];
    return { model, loss };
  });
}

async function flatWeights(vae: VaeModel): Promise<number[]> {
  const out: number[] = [];
  for (const v of [...vae.encoderVariables(), ...vae.decoderVariables()]) for (const x of await v.data()) out.push(x);
  return out;
}

/** Trains one VAE case on `backend`: per step the pairs `[loss, reconstruction]` and `[kl, 0]` (the GAN format), and the final weights. */
export async function runVaeCase(name: string, backend: BackendSpec, label: string): Promise<ParityResult | ParityFailure> {
  const [model, loss] = name.split(' ') as [string, string];
  const start = Date.now();
  try {
    const adapter = await useBackend(backend);
    const before = tf.memory().numTensors;
    const vae = (VAE_CONFIGS[name] as () => VaeModel)();
    const imageShape = [...vae.imageShape] as [number, number, number];
    const data = ImageDataset.fromArrays({ images: toyImages(imageShape), imageShape });
    const objective = vaeObjective(vae, { optimizers: { encoder: parityAdam(), decoder: parityAdam() } });
    const rng = new Rng(3);
    const order = data.epochOrder(new Rng(4));
    const losses: Array<[number, number]> = [];
    for (let step = 1; step <= PARITY_STEPS; step++) {
      const batch = data.batch(order, (step - 1) * PARITY_BATCH, PARITY_BATCH);
      const m = tf.tidy(() => objective.step([batch], { step, rng }));
      const [l, r, k] = await Promise.all([m.loss, m.reconstruction, m.kl].map(async (t) => (await t!.data())[0]!));
      losses.push([l!, r!], [k!, 0]);
      tf.dispose([batch.images, ...Object.values(m)]);
    }
    const weights = await flatWeights(vae);
    for (const n of objective.networks) n.optimizer.dispose();
    vae.dispose();
    return { model, loss, backend: adapter.name, losses, weights, leakedTensors: tf.memory().numTensors - before, ms: Date.now() - start };
  } catch (e) {
    return { model, loss, backend: label, error: (e as Error)?.message ?? String(e) };
  }
}
