/** The DCGAN example's run: data, model, trainer (new or resumed), training with callbacks, final grid. */
import { existsSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  evaluate,
  formatReport,
  imageGridAsync,
  Trainer,
  type EvaluationReport,
  type ImageDataset,
  type StepMetrics,
} from '@aigc/core';
import {
  CHECKPOINT_MANIFEST,
  checkpointCallback,
  findIdxSplit,
  writeFileAtomic,
  jsonlMetricsCallback,
  loadIdxDirectory,
  resolveDataSource,
  sampleGridFileCallback,
  writePng,
} from '@aigc/core/node';
import type { DcganCliOptions } from './args.js';
import { buildRecipe } from './recipes.js';

/** The Fashion-MNIST t10k set shipped with the examples. */
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../data/fashion-mnist', import.meta.url));

/** What a run reports. */
export interface RunResult {
  /** Global step reached. */
  readonly globalStep: number;
  /** Steps run by this invocation. */
  readonly steps: number;
  /** Backend used. */
  readonly backend: string;
  /** Whether the run continued from a checkpoint. */
  readonly resumed: boolean;
  /** Metrics of the last step, if any ran. */
  readonly last: StepMetrics | undefined;
  /** Wall-clock seconds this invocation spent in `trainer.fit` (0 when no step ran). */
  readonly trainSeconds: number;
  /** The final sample grid. */
  readonly samplesPath: string;
  /** Feature metrics of the generator (its EMA when the recipe has one), unless `--eval 0`. */
  readonly evaluation: EvaluationReport | undefined;
}

/** Loads the training images: --data, else the system Fashion-MNIST, else the embedded t10k set. */
export async function loadData(opts: Pick<DcganCliOptions, 'data' | 'limit'>, log: (line: string) => void): Promise<ImageDataset> {
  return (await loadDataAndHeldOut(opts, log, 0)).train;
}

/**
 * Training images and, when the folder also has a t10k split next to train, up to `heldOut`
 * test images for evaluation (otherwise the evaluation uses training images and says so).
 */
export async function loadDataAndHeldOut(
  opts: Pick<DcganCliOptions, 'data' | 'limit'>,
  log: (line: string) => void,
  heldOut: number,
): Promise<{ train: ImageDataset; real: ImageDataset | undefined; realIsHeldOut: boolean }> {
  const source = resolveDataSource({ ...(opts.data === undefined ? {} : { data: opts.data }), embeddedDir: EMBEDDED_DATA_DIR });
  log(`data: ${source.description}`);
  const train = await loadIdxDirectory(source.dir, opts.limit === undefined ? {} : { limit: opts.limit });
  if (heldOut <= 0) return { train, real: undefined, realIsHeldOut: false };
  const separate = findIdxSplit(source.dir, 'train') !== undefined && findIdxSplit(source.dir, 't10k') !== undefined;
  const real = separate ? await loadIdxDirectory(source.dir, { split: 't10k', limit: heldOut }) : train.take(Math.min(heldOut, train.size));
  return { train, real, realIsHeldOut: separate };
}

/** A new trainer for the chosen recipe and loss (see `recipes.ts`). */
export function newTrainer(opts: DcganCliOptions): Trainer {
  const { model, trainer } = buildRecipe(opts);
  return new Trainer(model, { ...trainer, backend: opts.backend, batchSize: opts.batch, seed: opts.seed });
}

/** Trains (or resumes) and writes the outputs; `signal` stops cleanly between steps, saving a checkpoint. */
export async function runDcgan(opts: DcganCliOptions, log: (line: string) => void, signal?: AbortSignal): Promise<RunResult> {
  const checkpointDir = path.join(opts.out, 'checkpoint');
  const { train: data, real, realIsHeldOut } = await loadDataAndHeldOut(opts, log, opts.evalSamples);
  const resumed = opts.resume && existsSync(path.join(checkpointDir, CHECKPOINT_MANIFEST));
  if (opts.resume && !resumed) log(`--resume: no checkpoint in ${checkpointDir}, starting fresh.`);
  const trainer = resumed ? await Trainer.resume(checkpointDir, { backend: opts.backend }) : newTrainer(opts);
  try {
    const backend = await trainer.ready();
    log(
      `${resumed ? `resumed at step ${trainer.globalStep}` : 'new run'}: DCGAN (${trainer.loss.name}` +
        `${trainer.regularizers.length > 0 ? ' + gradient penalty' : ''}) on ${data.size} images, backend ${backend}`,
    );
    const remaining = opts.steps - trainer.globalStep;
    let steps = 0;
    let trainSeconds = 0;
    let last: StepMetrics | undefined;
    if (remaining > 0) {
      const progress = {
        onStepEnd: (m: StepMetrics) => {
          last = m;
          if (m.step % 10 === 0 || m.step === opts.steps) {
            log(`step ${m.step}/${opts.steps}  dLoss ${m.dLoss.toFixed(4)}  gLoss ${m.gLoss.toFixed(4)}  D acc ${m.dAccuracy.toFixed(2)}`);
          }
        },
      };
      const t0 = performance.now();
      const h = await trainer.fit(data, {
        steps: remaining,
        ...(signal === undefined ? {} : { signal }),
        callbacks: [
          progress,
          jsonlMetricsCallback(path.join(opts.out, 'metrics.jsonl'), { append: resumed }),
          ...(opts.sampleEvery > 0 ? [sampleGridFileCallback(path.join(opts.out, 'grids'), { every: opts.sampleEvery })] : []),
          checkpointCallback(checkpointDir, { every: opts.checkpointEvery }),
        ],
      });
      steps = h.steps;
      trainSeconds = (performance.now() - t0) / 1000;
    } else {
      log(`already at step ${trainer.globalStep} >= --steps ${opts.steps}; writing samples only.`);
    }
    const samplesPath = path.join(opts.out, 'samples.png');
    const images = trainer.sample(64, { seed: 1234 });
    try {
      await writePng(samplesPath, await imageGridAsync(images, { columns: 8 }));
    } finally {
      images.dispose();
    }
    log(`wrote ${samplesPath} and ${checkpointDir}`);
    let evaluation: EvaluationReport | undefined;
    if (real !== undefined) {
      const n = Math.min(opts.evalSamples, real.size);
      evaluation = await trainer.withAveragedGenerator(() =>
        evaluate(trainer.model, {
          real,
          n,
          seed: opts.seed,
          metrics: ['fid', 'kid', 'precision', 'recall', 'classifierScore', 'classCoverage'],
          kid: { subsets: 20, subsetSize: Math.min(500, n) },
        }),
      );
      log(`evaluation of the ${trainer.ema === undefined ? '' : 'averaged '}generator against ${realIsHeldOut ? 'held-out test' : 'training (no test split in the folder)'} images:`);
      log(formatReport(evaluation));
      await writeFileAtomic(path.join(opts.out, 'evaluation.json'), JSON.stringify(evaluation, null, 2));
    }
    return { globalStep: trainer.globalStep, steps, backend, resumed, last, trainSeconds, samplesPath, evaluation };
  } finally {
    trainer.dispose();
    trainer.model.dispose();
  }
}
