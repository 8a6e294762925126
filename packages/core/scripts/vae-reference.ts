/**
 * Reference values of the VAE on Fashion-MNIST for docs/metrics.md: reconstruction MSE on the
 * 10,000 test images against the mean-image baseline, and the sample metrics (FID, KID,
 * precision/recall, classifier score, coverage) of 10,000 prior samples against the test images.
 *
 *   npx tsx packages/core/scripts/vae-reference.ts --model mlp --steps 1000,5000 --out /tmp/aigc-vae
 *
 * Training: `mlpVae({ seed })` (the article's sizes) or `convVae({ seed })` with `vaeObjective`'s
 * defaults (Bernoulli likelihood, beta 1, Adam 1e-3; `--lr` changes the rate) on the 60,000 training images, batch 128,
 * wasm backend; writes `<model>-<steps>/report.json` and `summary.json` under `--out`.
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import {
  adam,
  convVae,
  evaluate,
  formatReport,
  loadFeatureExtractor,
  mlpVae,
  Rng,
  tf,
  useBackend,
  vaeObjective,
  type ImageDataset,
  type VaeModel,
} from '../src/index.js';
import { loadIdxDirectory } from '../src/node/index.js';

const { values } = parseArgs({
  options: {
    model: { type: 'string', default: 'mlp' },
    steps: { type: 'string', default: '1000,5000' },
    batch: { type: 'string', default: '128' },
    out: { type: 'string', default: '/tmp/aigc-vae' },
    data: { type: 'string', default: '/usr/share/datasets/fashion-mnist' },
    seed: { type: 'string', default: '42' },
    n: { type: 'string', default: '10000' },
    backend: { type: 'string', default: 'wasm' },
    lr: { type: 'string', default: '0.001' },
  },
});

/** Mean squared error (per pixel, [-1, 1] units) of the VAE's mean reconstructions and of the training mean image, on `test`. */
export function reconstructionErrors(vae: VaeModel, train: ImageDataset, test: ImageDataset, batchSize = 500): { vae: number; meanImage: number } {
  const pixels = test.imageShape.reduce((a, b) => a * b, 1);
  const mean = new Float32Array(pixels);
  for (let i = 0; i < train.size; i++) for (let p = 0; p < pixels; p++) mean[p]! += train.images[i * pixels + p]! / train.size;
  const order = new Int32Array(test.size).map((_, i) => i);
  let vaeSum = 0;
  let meanSum = 0;
  for (let start = 0; start < test.size; start += batchSize) {
    const size = Math.min(batchSize, test.size - start);
    const { images } = test.batch(order, start, size);
    [vaeSum, meanSum] = tf.tidy(() => {
      const rec = vae.reconstruct(images);
      const m = tf.tensor4d(mean, [1, ...test.imageShape] as [number, number, number, number]);
      return [vaeSum + tf.sum(tf.squaredDifference(rec, images)).dataSync()[0]!, meanSum + tf.sum(tf.squaredDifference(images, m)).dataSync()[0]!];
    });
    images.dispose();
  }
  return { vae: vaeSum / (test.size * pixels), meanImage: meanSum / (test.size * pixels) };
}

async function main(): Promise<void> {
  await useBackend(values.backend as 'wasm');
  const train = await loadIdxDirectory(values.data!, { split: 'train' });
  const test = await loadIdxDirectory(values.data!, { split: 't10k' });
  const seed = Number(values.seed);
  const batchSize = Number(values.batch);
  const checkpoints = values.steps!.split(',').filter(Boolean).map(Number);
  const vae = values.model === 'conv' ? convVae({ seed }) : mlpVae({ seed });
  const lr = Number(values.lr);
  const objective = vaeObjective(vae, { optimizers: { encoder: adam(lr), decoder: adam(lr) } });
  const rng = new Rng(seed);
  const dataRng = new Rng(seed + 1);
  const extractor = loadFeatureExtractor();
  const summary: unknown[] = [];
  let order = train.epochOrder(dataRng);
  let position = 0;
  let step = 0;
  let trainSeconds = 0;
  let last: Record<string, number> = {};
  for (const target of checkpoints) {
    const began = Date.now();
    for (; step < target; ) {
      if (position + batchSize > train.size) {
        order = train.epochOrder(dataRng);
        position = 0;
      }
      const batch = train.batch(order, position, batchSize);
      position += batchSize;
      step++;
      const tensors = tf.tidy(() => objective.step([batch], { step, rng }));
      last = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.dataSync()[0]!]));
      tf.dispose([batch.images, ...Object.values(tensors)]);
      if (step % 500 === 0) console.log(`step ${step}: ${JSON.stringify(last)}`);
    }
    trainSeconds += (Date.now() - began) / 1000;
    const errors = reconstructionErrors(vae, train, test);
    const report = await evaluate(vae, { real: test, n: Number(values.n), seed: 0, extractor });
    const dir = join(values.out!, `${values.model}-${target}`);
    await mkdir(dir, { recursive: true });
    await writeFile(join(dir, 'report.json'), JSON.stringify({ steps: target, batchSize, seed, errors, last, report }, null, 2));
    summary.push({ model: values.model, steps: target, batchSize, seed, lr, trainSeconds, errors, last, metrics: report.metrics });
    console.log(`${values.model} VAE, ${target} steps (${trainSeconds.toFixed(0)} s of training): reconstruction MSE ${errors.vae.toFixed(4)} vs mean image ${errors.meanImage.toFixed(4)}`);
    console.log(formatReport(report));
  }
  await writeFile(join(values.out!, `summary-${values.model}.json`), JSON.stringify(summary, null, 2));
  extractor.dispose();
  vae.dispose();
}

if (process.argv[1]?.endsWith('vae-reference.ts')) await main();
