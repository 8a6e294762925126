/** The run of the augmentation resume test, shared by the test and the child process it spawns. */
import '@tensorflow/tfjs-backend-cpu';
import { mlpGan } from '../models/mlp-gan.js';
import { Trainer } from '../training/trainer.js';
import { toyImages } from '../training/toy-data.test-utils.js';
import type { TrainHistory } from '../training/types.js';
import type { LayersGan } from '../models/types.js';
import { adaptiveAugment } from './adaptive.js';
import { dataAugmentation } from './data-augmentation.js';

/** The dataset (deterministic). */
export const augmentRunData = () => toyImages(32, 8);

/** A fresh trainer with data-side augmentation and ADA (p moves every 2 steps). */
export function newAugmentRun(): Trainer<LayersGan> {
  const gan = mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed: 5 });
  return new Trainer(gan, {
    backend: 'cpu',
    batchSize: 8,
    seed: 4,
    augment: [dataAugmentation({ flip: true, rotate: 10, translate: 0.1 }), adaptiveAugment({ speed: 200, interval: 2, initialP: 0.2, ops: ['xflip', 'translate', 'rotate', 'brightness', 'cutout'] })],
  });
}

/** Losses, r_t inputs and ADA's p per step of a history. */
export function historyFingerprint(history: TrainHistory): { losses: number[][]; p: number[] } {
  return { losses: history.metrics.map((m) => [m.dLoss, m.gLoss, m.realSign as number]), p: history.metrics.map((m) => m.augmentP as number) };
}

/** {@link historyFingerprint} plus every weight as exact float32 bit patterns. */
export function augmentFingerprint(trainer: Trainer<LayersGan>, history: TrainHistory): { losses: number[][]; p: number[]; weights: string } {
  const tensors = [...trainer.model.generator.weights.map((w) => w.read()), ...trainer.model.discriminator.weights.map((w) => w.read())];
  const weights = tensors.map((t) => Buffer.from((t.dataSync() as Float32Array).slice().buffer).toString('base64')).join('|');
  return { ...historyFingerprint(history), weights };
}
