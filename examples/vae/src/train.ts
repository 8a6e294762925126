/** The VAE example's run: data, model, training, sample and reconstruction grids, the saved generator. */
import { writeFile } from 'node:fs/promises';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { existsSync } from 'node:fs';
import {
  adam,
  convVae,
  evaluate,
  imageGridAsync,
  mlpVae,
  reconstructionGridAsync,
  tf,
  Trainer,
  type EvaluationReport,
  type ImageDataset,
  type TrainingMetrics,
  type VaeModel,
  type VaeTrainerOptions,
} from '@aigc/core';
import {
  CHECKPOINT_MANIFEST,
  checkpointCallback,
  findIdxSplit,
  jsonlMetricsCallback,
  loadIdxDirectory,
  resolveDataSource,
  saveGenerator,
  writePng,
} from '@aigc/core/node';
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
  /** Steps run by this invocation. */
  readonly steps: number;
  /** Global step reached. */
  readonly globalStep: number;
  /** Whether the run continued from a checkpoint. */
  readonly resumed: boolean;
  /** Whether `signal` stopped training before `--steps` (the checkpoint is saved; `--resume` continues). */
  readonly interrupted: boolean;
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

/** A new trainer for the options (the VAE objective picked by the Trainer's registry). */
export function newTrainer(opts: VaeCliOptions): Trainer<VaeModel> {
  const options: VaeTrainerOptions = {
    backend: opts.backend,
    batchSize: opts.batch,
    seed: opts.seed,
    vae: { beta: opts.beta, klWarmupSteps: opts.klWarmup, optimizers: { encoder: adam(opts.learningRate), decoder: adam(opts.learningRate) } },
  };
  return new Trainer(makeVae(opts), options);
}

/**
 * Trains a VAE (or resumes it from `--out/checkpoint` with `--resume`) up to `--steps`, and writes
 * samples.png, reconstructions.png, generator/, metrics.jsonl and checkpoint/ into `opts.out`.
 * Aborting `signal` (Ctrl-C, SIGTERM) stops after the current step, saves the checkpoint, writes the
 * pictures and the generator but skips the evaluation; the result's `interrupted` is then true.
 */
export async function runVae(opts: VaeCliOptions, log: (line: string) => void, signal?: AbortSignal): Promise<VaeRunResult> {
  const checkpointDir = path.join(opts.out, 'checkpoint');
  const resumed = opts.resume && existsSync(path.join(checkpointDir, CHECKPOINT_MANIFEST));
  if (opts.resume && !resumed) log(`--resume: no checkpoint in ${checkpointDir}, starting fresh.`);
  const trainer = resumed ? await Trainer.resume<VaeModel>(checkpointDir, { backend: opts.backend }) : newTrainer(opts);
  const vae = trainer.model;
  try {
    const backend = await trainer.ready();
    const { train, held } = await loadData(opts, log);
    log(`${resumed ? `resumed at step ${trainer.globalStep}` : 'new run'}: VAE (latent ${vae.latentDim}, ${vae.likelihood} likelihood) on ${train.size} images, backend ${backend}`);
    const remaining = opts.steps - trainer.globalStep;
    let last: VaeStepLine | undefined;
    let steps = 0;
    let interrupted = false;
    if (remaining > 0) {
      const progress = {
        onStepEnd: (m: TrainingMetrics) => {
          last = { step: m.step, loss: m['loss']!, elbo: m['elbo']!, reconstruction: m['reconstruction']!, kl: m['kl']!, beta: m['beta']! };
          if (m.step % 50 === 0 || m.step === opts.steps) {
            log(`step ${m.step}/${opts.steps}  loss ${last.loss.toFixed(2)}  reconstruction ${last.reconstruction.toFixed(2)}  kl ${last.kl.toFixed(2)}`);
          }
        },
      };
      const h = await trainer.fit(train, {
        steps: remaining,
        callbacks: [progress, jsonlMetricsCallback(path.join(opts.out, 'metrics.jsonl'), { append: resumed }), checkpointCallback(checkpointDir, { every: 100 })],
        ...(signal ? { signal } : {}),
      });
      steps = h.steps;
      interrupted = h.stopReason === 'aborted';
      if (interrupted) log(`Interrupted at step ${trainer.globalStep}: checkpoint saved; continue with --resume. Writing the pictures and the generator...`);
    } else {
      log(`already at step ${trainer.globalStep} >= --steps ${opts.steps}; writing the outputs only.`);
    }

    const samplesPath = path.join(opts.out, 'samples.png');
    const samples = vae.sample(64, { seed: 1234 });
    try {
      await writePng(samplesPath, await imageGridAsync(samples, { columns: 8 }));
    } finally {
      samples.dispose();
    }
    const reconstructionsPath = path.join(opts.out, 'reconstructions.png');
    const shown = held.batch(new Int32Array(held.size).map((_, i) => i), 0, Math.min(32, held.size)).images;
    try {
      await writePng(reconstructionsPath, await reconstructionGridAsync(vae, shown, { columns: 4 }));
    } finally {
      shown.dispose();
    }
    const generatorDir = path.join(opts.out, 'generator');
    await saveGenerator(vae, generatorDir);
    const mse = reconstructionMse(vae, train, held);
    log(`reconstruction MSE ${mse.vae.toFixed(4)} on ${held.size} held-out images (mean-image baseline ${mse.meanImage.toFixed(4)})`);
    let evaluation: EvaluationReport | undefined;
    if (opts.evalSamples > 0 && !interrupted) {
      evaluation = await evaluate(vae, { real: held, n: Math.min(opts.evalSamples, held.size), seed: opts.seed, metrics: ['fid'] });
      log(`sample FID ${evaluation.metrics[0]!.value.toFixed(1)} (n = ${evaluation.samples.generated}; see docs/metrics.md)`);
      await writeFile(path.join(opts.out, 'evaluation.json'), JSON.stringify(evaluation, null, 2));
    }
    log(`wrote ${samplesPath}, ${reconstructionsPath}, ${generatorDir} and ${checkpointDir}`);
    return { steps, globalStep: trainer.globalStep, resumed, interrupted, backend, last, samplesPath, reconstructionsPath, generatorDir, reconstructionMse: mse, evaluation };
  } finally {
    trainer.dispose();
    vae.dispose();
  }
}
