/** The seeded training run of the checkpoint crash tests, shared by the child and the reference in the test. */
import { ImageDataset, Trainer, mlpGan } from '../../src/index.js';

/** A small GAN (big enough that a checkpoint takes a few ms to write), its cpu trainer and data; the same every call. */
export function crashRun() {
  const images = new Float32Array(64 * 256).map((_, i) => Math.sin(i * 0.61) * 0.9);
  const data = ImageDataset.fromArrays({ images, imageShape: [16, 16, 1] });
  const gan = mlpGan({ latentDim: 16, imageShape: [16, 16, 1], generatorUnits: [128], discriminatorUnits: [128], seed: 5 });
  const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 5 });
  return { gan, trainer, data };
}
