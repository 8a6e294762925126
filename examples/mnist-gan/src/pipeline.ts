/**
 * The article's pipeline, done correctly: data -> preprocess -> model -> train -> evaluate ->
 * generate. Each stage is a function so tests can run the whole thing on small data.
 */
import { fileURLToPath } from 'node:url';
import * as path from 'node:path';
import { existsSync, promises as fs } from 'node:fs';
import {
  ImageDataset,
  Trainer,
  imageGridAsync,
  pixelHistogram,
  tf,
  useBackend,
  evaluate,
  formatReport,
  type EvaluationReport,
  type BackendAdapter,
  type GanModel,
  type TrainHistory,
  type TrainerCallback,
  type RasterImage,
} from '@aigc/core';
import {
  checkpointCallback,
  downloadMnist,
  findIdxSplit,
  jsonlMetricsCallback,
  loadIdxDirectory,
  resolveDataSource,
  sampleGridFileCallback,
  writeFileAtomic,
  writePng,
} from '@aigc/core/node';
import type { CliOptions } from './args.js';
import { progressBar, type ProgressStream } from './progress.js';
import { REPAIRED, buildRecipe, recipeName, type Fix } from './recipes.js';
import { sideBySide } from './compare.js';

/** The Fashion-MNIST t10k set shipped in the repo (the offline default). */
export const EMBEDDED_DATA_DIR = fileURLToPath(new URL('../../data/fashion-mnist/', import.meta.url));

/** Where the pipeline reports to. */
export interface PipelineIo {
  /** Progress and log lines. */
  readonly out: ProgressStream;
  /** Aborting stops training between steps; outputs are still written. */
  readonly signal?: AbortSignal;
  /** Overrides the system data folder (tests). */
  readonly systemDataDir?: string;
}

/** Which recipe the pipeline trains, and the as-written run it is compared with. */
export interface PipelineRecipe {
  /** Fixes of the trained model (see `recipes.ts`). Default {@link REPAIRED}, the ablation's choice; `[]` trains the article as written. */
  readonly fixes?: readonly Fix[];
  /**
   * Steps of the article-as-written run trained after the main one, whose samples go beside the
   * main run's in `compare.png`. Default: half the main run's steps, at most 1,000; 0 (or an
   * as-written main run) skips it.
   */
  readonly compareSteps?: number;
}

/** The as-written comparison run: its evaluation and step count. */
export interface ComparisonResult {
  readonly steps: number;
  readonly evaluation: Evaluation;
}

/** What one run produced. */
export interface PipelineResult {
  readonly dataDescription: string;
  readonly trainSize: number;
  readonly backend: string;
  /** The recipe trained: `as written` or its fixes joined by ` + `. */
  readonly recipe: string;
  readonly history: TrainHistory;
  readonly evaluation: Evaluation;
  /** The article-as-written run beside it in `compare.png`, when one ran. */
  readonly asWritten?: ComparisonResult;
  readonly files: { samples: string; compare: string; metrics: string; generator: string; summary: string; checkpoint: string };
}

/** Sample-quality numbers computed at the end of the run. */
export interface Evaluation {
  /** Feature-space metrics (FID, KID, precision/recall, class coverage, D accuracy, ...) from `@aigc/core`'s `evaluate`. */
  readonly report: EvaluationReport;
  /** Mean over pixels of the std across generated samples: near 0 means every sample is the same image. */
  readonly samplePixelStd: number;
  /** L1 distance between the pixel histograms of generated and real images (0 = same, 2 = disjoint). */
  readonly histogramL1: number;
  /** Mean pixel value of generated and of real images. */
  readonly meanPixel: { generated: number; real: number };
}

/** Stage 1, data: picks the source (--data > system Fashion-MNIST > embedded), loads train and held-out sets. */
export async function loadData(opts: CliOptions, io: PipelineIo): Promise<{ train: ImageDataset; heldOut: ImageDataset; description: string }> {
  let dir: string;
  let description: string;
  if (opts.downloadMnist) {
    dir = await downloadMnist({
      ...(opts.mnistUrl ? { baseUrl: opts.mnistUrl } : {}),
      ...(opts.cacheDir ? { cacheDir: opts.cacheDir } : {}),
      onProgress: (p) => io.out.write(`downloading ${p.file}: ${p.receivedBytes} bytes\n`),
    });
    description = `MNIST downloaded into ${dir}`;
  } else {
    const source = resolveDataSource({
      ...(opts.data !== undefined ? { data: opts.data } : {}),
      ...(io.systemDataDir !== undefined ? { systemDir: io.systemDataDir } : {}),
      embeddedDir: EMBEDDED_DATA_DIR,
    });
    dir = source.dir;
    description = source.description;
  }
  const hasTrain = findIdxSplit(dir, 'train') !== undefined;
  const hasTest = findIdxSplit(dir, 't10k') !== undefined;
  const all = await loadIdxDirectory(dir, { split: hasTrain ? 'train' : 't10k' });
  let train = all;
  let heldOut: ImageDataset;
  if (hasTrain && hasTest) {
    heldOut = (await loadIdxDirectory(dir, { split: 't10k', limit: 1000 }));
  } else {
    // One split only: hold out the last 10% for evaluation.
    [train, heldOut] = all.split(0.9);
  }
  if (opts.limit !== undefined && opts.limit < train.size) train = train.take(opts.limit);
  return { train, heldOut, description };
}

/** Stage 2, preprocess: images are already scaled to [-1, 1] (tanh's range); this reports their statistics. */
export function describeData(data: ImageDataset): string {
  let sum = 0;
  for (const v of data.images) sum += v;
  const [h, w, c] = data.imageShape;
  return `${data.size} images ${h}x${w}x${c}, pixels in [-1, 1], mean ${(sum / data.images.length).toFixed(3)}` +
    (data.numClasses ? `, ${data.numClasses} classes` : '');
}

/**
 * Stage 5, evaluate: the feature metrics of `@aigc/core` (FID, KID, precision/recall, class
 * coverage, D's accuracy on held-out real vs generated) plus pixel-level diversity and statistics.
 */
export async function evaluateRun(gan: GanModel, heldOut: ImageDataset, seed: number, count = 1000): Promise<Evaluation> {
  const n = Math.min(count, heldOut.size);
  const real = heldOut.take(n);
  const report = await evaluate(gan, {
    real,
    n,
    seed,
    metrics: ['fid', 'kid', 'precision', 'recall', 'classifierScore', 'classCoverage', 'discriminatorAccuracy'],
    kid: { subsets: 20, subsetSize: Math.min(500, n) },
  });
  const fake = gan.sample(n, { seed: seed + 1 });
  try {
    const fakeValues = fake.dataSync() as Float32Array;
    const hFake = pixelHistogram(fakeValues, 20);
    const hReal = pixelHistogram(real.images, 20);
    let l1 = 0;
    for (let i = 0; i < hFake.length; i++) l1 += Math.abs((hFake[i] as number) - (hReal[i] as number));
    const samplePixelStd = tf.tidy(() => tf.mean(tf.sqrt(tf.moments(fake, 0).variance)).dataSync()[0] as number);
    const mean = (xs: Float32Array) => xs.reduce((a, b) => a + b, 0) / xs.length;
    return { report, samplePixelStd, histogramL1: l1, meanPixel: { generated: mean(fakeValues), real: mean(real.images) } };
  } finally {
    fake.dispose();
  }
}

/** A fresh trainer, or with `--resume` the one saved in `checkpointDir` (same weights, optimizer state, data position and random streams). */
async function makeTrainer(opts: CliOptions, backend: BackendAdapter, checkpointDir: string, fixes: readonly Fix[], say: (s: string) => void): Promise<Trainer> {
  if (opts.resume) {
    if (existsSync(path.join(checkpointDir, 'manifest.json'))) {
      const trainer = await Trainer.resume(checkpointDir, { backend });
      say(`Resuming from step ${trainer.globalStep} (checkpoint ${checkpointDir}; batch ${trainer.batchSize}, seed ${trainer.seed} as saved)`);
      return trainer;
    }
    say(`No checkpoint in ${checkpointDir}: starting from step 0.`);
  }
  const { model, trainer } = buildRecipe(fixes, opts.seed);
  return new Trainer(model, { ...trainer, backend, batchSize: opts.batch, seed: opts.seed });
}

/** Trains the article's GAN as written for `steps` (same data, batch, seed and backend) and returns its evaluation and a sample grid. */
async function trainAsWritten(
  opts: CliOptions,
  backend: BackendAdapter,
  train: ImageDataset,
  heldOut: ImageDataset,
  steps: number,
  signal: AbortSignal | undefined,
): Promise<{ result: ComparisonResult; grid: RasterImage }> {
  const { model, trainer: options } = buildRecipe([], opts.seed);
  const trainer = new Trainer(model, { ...options, backend, batchSize: opts.batch, seed: opts.seed });
  try {
    const history = await trainer.fit(train, { steps, ...(signal ? { signal } : {}) });
    const evaluation = await evaluateRun(model, heldOut, opts.seed);
    const samples = model.sample(64, { seed: opts.seed });
    try {
      return { result: { steps: history.steps, evaluation }, grid: await imageGridAsync(samples, { columns: 8 }) };
    } finally {
      samples.dispose();
    }
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

/**
 * Runs `fn` with the trainer's EMA weights in G when it keeps an average (batch-norm statistics
 * recalibrated when the EMA was set up to), else with the live weights.
 */
export function withAveraged<T>(trainer: Trainer, fn: () => Promise<T>): Promise<T> {
  return trainer.ema ? trainer.ema.apply(fn) : fn();
}

/** FID(features) and classes covered of an evaluation, for log lines. */
function headline(e: Evaluation): string {
  const fid = e.report.metrics.find((m) => m.name === 'fid')?.value;
  const covered = (e.report.metrics.find((m) => m.name === 'classCoverage')?.details as { classesCovered?: number } | undefined)?.classesCovered;
  return `FID(features) ${fid === undefined ? '?' : fid.toFixed(1)}, ${covered ?? '?'}/10 classes covered, sample pixel std ${e.samplePixelStd.toFixed(3)}`;
}

/** Runs the whole pipeline and writes the outputs into `opts.out`. */
export async function runPipeline(opts: CliOptions, io: PipelineIo, recipe: PipelineRecipe = {}): Promise<PipelineResult> {
  const say = (s: string) => io.out.write(s + '\n');
  // 1. Data
  const { train, heldOut, description } = await loadData(opts, io);
  say(`Data: ${description}`);
  // 2. Preprocess
  say(`Preprocess: ${describeData(train)}; ${heldOut.size} held out for evaluation`);
  // 3. Model: choose the backend first so the weights are created on it.
  const adapter = await useBackend(opts.backend);
  await fs.mkdir(opts.out, { recursive: true });
  const files = {
    samples: path.join(opts.out, 'samples.png'),
    compare: path.join(opts.out, 'compare.png'),
    metrics: path.join(opts.out, 'metrics.jsonl'),
    generator: path.join(opts.out, 'generator'),
    summary: path.join(opts.out, 'summary.json'),
    checkpoint: path.join(opts.out, 'checkpoint'),
  };
  const fixes = recipe.fixes ?? REPAIRED;
  const trainer = await makeTrainer(opts, adapter, files.checkpoint, fixes, say);
  const gan = trainer.model;
  say(`Model: G z(100)->128->784->784 tanh, D 784->128->1 logit, on ${adapter.name}; recipe: ${recipeName(fixes)}`);
  // 4. Train, from where a resumed checkpoint stopped, to --steps (or --epochs) in total.
  const resumed = trainer.globalStep > 0;
  const total = opts.epochs !== undefined ? opts.epochs * train.batchCount(trainer.batchSize) : (opts.steps as number);
  const callbacks: TrainerCallback[] = [
    progressBar(io.out),
    jsonlMetricsCallback(files.metrics, { append: resumed }),
    ...(opts.sampleEvery > 0 ? [sampleGridFileCallback(path.join(opts.out, 'grids'), { every: opts.sampleEvery, seed: opts.seed })] : []),
    // Saves every N steps and when training ends, also after Ctrl-C.
    checkpointCallback(files.checkpoint, { every: opts.checkpointEvery > 0 ? opts.checkpointEvery : Number.MAX_SAFE_INTEGER }),
  ];
  try {
    const remaining = total - trainer.globalStep;
    const history: TrainHistory =
      remaining <= 0
        ? { steps: 0, globalStep: trainer.globalStep, stopReason: 'completed', metrics: [], backend: adapter.name }
        : await trainer.fit(train, {
            ...(resumed || opts.epochs === undefined ? { steps: remaining } : { epochs: opts.epochs }),
            ...(io.signal ? { signal: io.signal } : {}),
            callbacks,
          });
    if (history.stopReason === 'aborted') {
      say(`Interrupted at step ${trainer.globalStep}: checkpoint saved in ${files.checkpoint}; run again with --resume to continue.`);
    }
    // 5. Evaluate (with the EMA generator when the recipe keeps one)
    const evaluation = await withAveraged(trainer, () => evaluateRun(gan, heldOut, opts.seed));
    say(`Evaluate (${evaluation.report.samples.generated} generated vs ${evaluation.report.samples.real} held-out real images):`);
    say(formatReport(evaluation.report));
    say(
      `  sample pixel std ${evaluation.samplePixelStd.toFixed(3)} (0 = all samples identical); ` +
        `pixel-histogram L1 to real ${evaluation.histogramL1.toFixed(3)} (0 = same, 2 = disjoint)`,
    );
    // 6. Generate
    const samples = trainer.sample(64, { seed: opts.seed });
    const grid = await imageGridAsync(samples, { columns: 8 });
    samples.dispose();
    await writePng(files.samples, grid);
    await trainer.saveGenerator(files.generator); // the EMA generator when the recipe keeps one
    // 7. Compare with the article's GAN as written, trained for fewer steps, in one picture.
    const compareSteps = recipe.compareSteps ?? Math.min(1000, Math.ceil(trainer.globalStep / 2));
    let asWritten: ComparisonResult | undefined;
    if (fixes.length > 0 && compareSteps > 0 && history.stopReason === 'completed') {
      say(`Compare: training the article's GAN as written for ${compareSteps} steps`);
      const written = await trainAsWritten(opts, adapter, train, heldOut, compareSteps, io.signal);
      asWritten = written.result;
      await writePng(
        files.compare,
        sideBySide([
          { label: `as written, ${written.result.steps} steps`, image: written.grid },
          { label: `repaired, ${trainer.globalStep} steps`, image: grid },
        ]),
      );
      say(`  as written (${written.result.steps} steps): ${headline(written.result.evaluation)}`);
      say(`  repaired (${trainer.globalStep} steps):   ${headline(evaluation)}`);
    }
    const result: PipelineResult = {
      dataDescription: description,
      trainSize: train.size,
      backend: adapter.name,
      recipe: recipeName(fixes),
      history,
      evaluation,
      ...(asWritten ? { asWritten } : {}),
      files,
    };
    const { metrics: _omit, ...historySummary } = history;
    await writeFileAtomic(
      files.summary,
      JSON.stringify({ ...result, history: { ...historySummary, last: history.metrics.at(-1) }, options: opts }, null, 2),
    );
    say(`Generate: wrote ${files.samples}, ${asWritten ? `${files.compare}, ` : ''}${files.generator}/, ${files.metrics}, ${files.summary}`);
    return result;
  } finally {
    trainer.dispose();
    gan.dispose();
  }
}
