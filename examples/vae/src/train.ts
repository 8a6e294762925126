/** The VAE example's run: data, model, training, sample and reconstruction grids, the saved generator. */
import { mkdir, writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  adam,
  convVae,
  evaluate,
  imageGrid,
  mlpVae,
  reconstructionGrid,
  Rng,
  tf,
  useBackend,
  vaeObjective,
  type EvaluationReport,
  type ImageDataset,
  type VaeModel,
} from '@aigc/core';
import { findIdxSplit, loadIdxDirectory, resolveDataSource, saveGenerator, writePng } from '@aigc/core/node';
import type { VaeCliOptions } from './args.js';

/** The Fashion-MNIST t10k set shipped with the examples. */
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../data/fashion-mnist', import.meta.url));

/** Metrics of one step, as written to metrics.jsonl. */
export interface VaeStepLine {
  readonly step: number;
  readonly loss: number;
  readonly elbo: number;
  readonly reconstruction: number;
  readonly kl: number;
  readonly beta: number;
}

/** What a run reports. */
export interface VaeRunResult {
  readonly steps: number;
  readonly backend: string;
  readonly last: VaeStepLine | undefined;
  readonly samplesPath: string;
  readonly reconstructionsPath: string;
  readonly generatorDir: string;
  /** Per-pixel MSE of the mean reconstructions of the held-out images, and of the training mean image. */
  readonly reconstructionMse: { readonly vae: number; readonly meanImage: number };
  /** FID of prior samples, unless `--eval 0`. */
  readonly evaluation: EvaluationReport | undefined;
}

/** The model of the options: the article-sized MLP VAE or the convolutional one. */
export function makeVae(opts: VaeCliOptions): VaeModel {
  const common = {
    seed: opts.seed,
    likelihood: opts.likelihood,
    ...(opts.latent === undefined ? {} : { latentDim: opts.latent }),
  };
  return opts.model === 'conv' ? convVae(common) : mlpVae(common);
}

/** Training images and up to 1,000 held-out ones (the t10k split when the folder has train and t10k, else the last training images). */
async function loadData(opts: VaeCliOptions, log: (line: string) => void): Promise<{ train: ImageDataset; held: ImageDataset }> {
  const source = resolveDataSource({ ...(opts.data === undefined ? {} : { data: opts.data }), embeddedDir: EMBEDDED_DATA_DIR });
  log(`data: ${source.description}`);
  const train = await loadIdxDirectory(source.dir, opts.limit === undefined ? {} : { limit: opts.limit });
  const separate = findIdxSplit(source.dir, 'train') !== undefined && findIdxSplit(source.dir, 't10k') !== undefined;
  const held = separate ? await loadIdxDirectory(source.dir, { split: 't10k', limit: 1000 }) : train.take(Math.min(1000, train.size));
  return { train, held };
}

/** Per-pixel MSE of `vae`'s mean reconstructions of `held`, and of the training mean image. */
function reconstructionMse(vae: VaeModel, train: ImageDataset, held: ImageDataset): { vae: number; meanImage: number } {
  const order = new Int32Array(held.size).map((_, i) => i);
  const { images } = held.batch(order, 0, held.size);
  try {
    return tf.tidy(() => {
      const all = tf.tensor4d(train.images, [train.size, ...train.imageShape] as [number, number, number, number]);
      const mean = tf.mean(all, 0, true);
      const rec = vae.reconstruct(images);
      return { vae: tf.mean(tf.squaredDifference(rec, images)).dataSync()[0]!, meanImage: tf.mean(tf.squaredDifference(images, mean)).dataSync()[0]! };
    });
  } finally {
    images.dispose();
  }
}

/** Trains a VAE and writes samples.png, reconstructions.png, generator/ and metrics.jsonl into `opts.out`. */
export async function runVae(opts: VaeCliOptions, log: (line: string) => void): Promise<VaeRunResult> {
  const backend = (await useBackend(opts.backend as 'wasm')).name;
  const { train, held } = await loadData(opts, log);
  if (opts.batch > train.size) log(`--batch ${opts.batch} is more than the ${train.size} images; using ${train.size}.`);
  const batchSize = Math.min(opts.batch, train.size);
  const vae = makeVae(opts);
  try {
    const objective = vaeObjective(vae, {
      beta: opts.beta,
      klWarmupSteps: opts.klWarmup,
      optimizers: { encoder: adam(opts.learningRate), decoder: adam(opts.learningRate) },
    });
    log(`${opts.model} VAE (latent ${vae.latentDim}, ${vae.likelihood} likelihood, beta ${opts.beta}) on ${train.size} images, backend ${backend}`);
    await mkdir(opts.out, { recursive: true });
    const rng = new Rng(opts.seed);
    const dataRng = new Rng((opts.seed ^ 0x5bd1e995) >>> 0);
    let order = train.epochOrder(dataRng);
    let position = 0;
    const lines: string[] = [];
    let last: VaeStepLine | undefined;
    for (let step = 1; step <= opts.steps; step++) {
      if (position + batchSize > train.size) {
        order = train.epochOrder(dataRng);
        position = 0;
      }
      const batch = train.batch(order, position, batchSize);
      position += batchSize;
      const tensors = tf.tidy(() => objective.step([batch], { step, rng }));
      const read = Object.fromEntries(Object.entries(tensors).map(([k, t]) => [k, t.dataSync()[0]!]));
      tf.dispose([batch.images, ...Object.values(tensors)]);
      last = { step, loss: read.loss!, elbo: read.elbo!, reconstruction: read.reconstruction!, kl: read.kl!, beta: read.beta! };
      lines.push(JSON.stringify(last));
      if (step % 50 === 0 || step === opts.steps) {
        log(`step ${step}/${opts.steps}  loss ${last.loss.toFixed(2)}  reconstruction ${last.reconstruction.toFixed(2)}  kl ${last.kl.toFixed(2)}`);
      }
    }
    await writeFile(path.join(opts.out, 'metrics.jsonl'), lines.length === 0 ? '' : `${lines.join('\n')}\n`);

    const samplesPath = path.join(opts.out, 'samples.png');
    const samples = vae.sample(64, { seed: 1234 });
    try {
      await writePng(samplesPath, imageGrid(samples, { columns: 8 }));
    } finally {
      samples.dispose();
    }
    const reconstructionsPath = path.join(opts.out, 'reconstructions.png');
    const shown = held.batch(new Int32Array(held.size).map((_, i) => i), 0, Math.min(32, held.size)).images;
    try {
      await writePng(reconstructionsPath, reconstructionGrid(vae, shown, { columns: 4 }));
    } finally {
      shown.dispose();
    }
    const generatorDir = path.join(opts.out, 'generator');
    await saveGenerator(vae, generatorDir);
    const mse = reconstructionMse(vae, train, held);
    log(`reconstruction MSE ${mse.vae.toFixed(4)} on ${held.size} held-out images (mean-image baseline ${mse.meanImage.toFixed(4)})`);
    let evaluation: EvaluationReport | undefined;
    if (opts.evalSamples > 0) {
      evaluation = await evaluate(vae, { real: held, n: Math.min(opts.evalSamples, held.size), seed: opts.seed, metrics: ['fid'] });
      log(`sample FID ${evaluation.metrics[0]!.value.toFixed(1)} (n = ${evaluation.samples.generated}; see docs/metrics.md)`);
      await writeFile(path.join(opts.out, 'evaluation.json'), JSON.stringify(evaluation, null, 2));
    }
    log(`wrote ${samplesPath}, ${reconstructionsPath} and ${generatorDir}`);
    return { steps: opts.steps, backend, last, samplesPath, reconstructionsPath, generatorDir, reconstructionMse: mse, evaluation };
  } finally {
    vae.dispose();
  }
}
