/**
 * The training run used by the checkpoint determinism test, shared by the test and the child
 * process it spawns: a tiny DCGAN (BatchNorm in G) with WGAN-GP, n critic 2, EMA and the guard.
 */
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../tf.js';
import { dcgan } from '../../models/dcgan.js';
import { wassersteinLoss } from '../../losses/wasserstein.js';
import { gradientPenalty } from '../../losses/gradient-penalty.js';
import { Trainer } from '../../training/trainer.js';
import { toyImages } from '../../training/toy-data.test-utils.js';
import type { TrainHistory } from '../../training/types.js';
import type { LayersGan } from '../../models/types.js';

/** The dataset (deterministic). */
export const runData = () => toyImages(48, 8);

/** A fresh trainer of the reference run. */
export function newRun(): Trainer<LayersGan> {
  const model = dcgan({ resolution: 8, latentDim: 6, generatorFilters: 4, discriminatorFilters: 4, seed: 3 });
  return new Trainer(model, {
    backend: 'cpu',
    batchSize: 8,
    seed: 11,
    loss: wassersteinLoss(),
    regularizers: [gradientPenalty({ weight: 10 })],
    discriminatorSteps: 2,
    ema: { decay: 0.9, startStep: 2 },
    // Betas whose powers are not exact in float32: a resume that recomputed Adam's running beta
    // powers with pow() (as tfjs' setWeights does) would differ in the last bit.
    optimizers: { generator: tf.train.adam(1e-3, 0.55, 0.93), discriminator: tf.train.adam(2e-3, 0.45, 0.97) },
  });
}

/** Losses of a history and every weight (G, D with BN statistics, EMA), as exact float32 bit patterns. */
export function fingerprint(trainer: Trainer<LayersGan>, history: TrainHistory): { losses: number[][]; weights: string } {
  const tensors = [
    ...trainer.model.generator.weights.map((w) => w.read()),
    ...trainer.model.discriminator.weights.map((w) => w.read()),
    ...(trainer.ema?.shadows ?? []),
  ];
  const bytes = tensors.map((t) => Buffer.from((t.dataSync() as Float32Array).slice().buffer).toString('base64')).join('|');
  return { losses: history.metrics.map((m) => [m.dLoss, m.gLoss, m.dPenalty ?? NaN]), weights: bytes };
}
