/** `aigc train`: trains a GAN on a folder of pictures into a run folder. */
import { existsSync, promises as fs } from 'node:fs';
import * as path from 'node:path';
import { evaluate, InvalidArgumentError, Trainer, type LayersGan, type TrainerCallback } from '@aigc/core';
import {
  CHECKPOINT_MANIFEST,
  checkpointCallback,
  sampleGridFileCallback,
  writeFileAtomic,
} from '@aigc/core/node';
import { choiceOption, defineCommand, flagOption, helpText, intOption, numberOption, parseCommand, stringOption, UsageError } from '../args.js';
import { say, type CliCommand, type CliIo } from '../io.js';
import { progressBar } from '../progress.js';
import { runLogger, type RunLogger } from '../run/logger.js';
import { writeRunReport } from '../report/run-report.js';
import { AUGMENT_NAMES, LOSS_NAMES, MODEL_NAMES, readRunConfig, writeRunConfig, type RunConfig } from '../run/config.js';
import { isRunFolder, runPaths } from '../run/layout.js';
import { loadTrainingData, type TrainingSet } from '../train/data.js';
import { backendSpec, newTrainer } from '../train/recipe.js';

/** Defaults of `aigc train`, chosen for a folder of a few thousand pictures. */
export const TRAIN_DEFAULTS = {
  size: 64,
  channels: 3,
  model: 'dcgan',
  filters: 32,
  loss: 'hinge',
  aug: 'diffaugment',
  steps: 10_000,
  batch: 32,
  backend: 'wasm',
  ema: 0.999,
  seed: 1,
  sampleEvery: 500,
  checkpointEvery: 500,
  fidEvery: 0,
} as const;

const spec = defineCommand({
  name: 'aigc train',
  summary:
    'Trains a GAN on a folder of pictures. Writes into --out: samples/ (grids every --sample-every steps), metrics.jsonl, ' +
    'checkpoint/ (for --resume), generator/ (the EMA generator, a tfjs model folder), data-report.json, report.html, losses.svg and run.json.',
  usage: 'aigc train --data DIR [options]',
  options: {
    data: stringOption('Folder of training images (PNG files, or MNIST-format IDX files).', undefined, 'DIR'),
    size: intOption(`Image side in pixels: 28, 32, 64, ... (default ${TRAIN_DEFAULTS.size})`, undefined, { min: 8, max: 1024 }),
    channels: choiceOption(`1 (gray) or 3 (colour) (default ${TRAIN_DEFAULTS.channels})`, ['1', '3'] as const, undefined),
    model: choiceOption(`Model family (default ${TRAIN_DEFAULTS.model}).`, MODEL_NAMES, undefined),
    filters: intOption(`DCGAN's base filter count; more is slower and stronger (default ${TRAIN_DEFAULTS.filters})`, undefined, { min: 1 }),
    conditional: flagOption('Condition G and D on the class (one subfolder per class, or IDX labels).'),
    loss: choiceOption(`GAN loss (default ${TRAIN_DEFAULTS.loss}).`, LOSS_NAMES, undefined),
    aug: choiceOption(`Augmentation of what D sees (default ${TRAIN_DEFAULTS.aug}).`, AUGMENT_NAMES, undefined),
    steps: intOption(`Train until this global step; with --resume, continue up to it (default ${TRAIN_DEFAULTS.steps})`, undefined, { min: 1 }),
    batch: intOption(`Batch size (default ${TRAIN_DEFAULTS.batch})`, undefined, { min: 1 }),
    backend: stringOption(`Compute backend: wasm, cpu, webgpu, node, node-gpu (default ${TRAIN_DEFAULTS.backend})`, undefined, 'NAME'),
    threads: intOption('wasm threads (default: the backend\'s own choice)', undefined, { min: 1 }),
    ema: numberOption(`Decay of the generator's moving average; 0 turns it off (default ${TRAIN_DEFAULTS.ema})`, undefined, { min: 0, max: 1, exclusiveMax: true }),
    seed: intOption(`Seed of weights, data order and latents, 1 or more (default ${TRAIN_DEFAULTS.seed})`, undefined, { min: 1 }),
    'sample-every': intOption(`Write a sample grid every N steps (default ${TRAIN_DEFAULTS.sampleEvery})`, undefined, { min: 1 }),
    'checkpoint-every': intOption(`Save the checkpoint every N steps; always at the end and on Ctrl-C/SIGTERM (default ${TRAIN_DEFAULTS.checkpointEvery})`, undefined, { min: 1 }),
    'fid-every': intOption('Log FID every N steps (28x28 gray data only: the shipped feature extractor; default 0 = never)', undefined, { min: 0 }),
    limit: intOption('Use only the first N images.', undefined, { min: 1 }),
    cache: stringOption("Folder of the loader's preprocessed-pixel cache, or off (default .aigc-cache/images in the working folder).", undefined, 'DIR'),
    out: stringOption('Run folder (default runs/<name of the data folder>).', undefined, 'DIR'),
    resume: flagOption('Continue the run in --out from its checkpoint, exactly as if it had not stopped.'),
  },
  epilog: `Ctrl-C (or SIGTERM, e.g. kill PID) finishes the current step, saves the checkpoint and exits with 130
(143 for SIGTERM); a second one quits at once. Run the same command with --resume to continue. Example:
  aigc train --data photos/ --size 64 --steps 5000 --out runs/photos`,
});

type TrainValues = ReturnType<typeof parseCommand<typeof spec.options>>['values'];

function configFromFlags(v: TrainValues, data: TrainingSet, dataDir: string): RunConfig {
  return {
    format: 1,
    data: { dir: dataDir, images: data.data.size, description: data.description, ...(data.classNames ? { classNames: data.classNames } : {}) },
    size: v.size ?? TRAIN_DEFAULTS.size,
    channels: Number(v.channels ?? TRAIN_DEFAULTS.channels),
    model: v.model ?? TRAIN_DEFAULTS.model,
    filters: v.filters ?? TRAIN_DEFAULTS.filters,
    conditional: v.conditional,
    loss: v.loss ?? TRAIN_DEFAULTS.loss,
    aug: v.aug ?? TRAIN_DEFAULTS.aug,
    steps: v.steps ?? TRAIN_DEFAULTS.steps,
    batch: v.batch ?? TRAIN_DEFAULTS.batch,
    backend: v.backend ?? TRAIN_DEFAULTS.backend,
    ...(v.threads === undefined ? {} : { threads: v.threads }),
    ema: v.ema ?? TRAIN_DEFAULTS.ema,
    seed: v.seed ?? TRAIN_DEFAULTS.seed,
    sampleEvery: v['sample-every'] ?? TRAIN_DEFAULTS.sampleEvery,
    checkpointEvery: v['checkpoint-every'] ?? TRAIN_DEFAULTS.checkpointEvery,
    fidEvery: v['fid-every'] ?? TRAIN_DEFAULTS.fidEvery,
    ...(v.limit === undefined ? {} : { limit: v.limit }),
    createdAt: new Date().toISOString(),
  };
}

/** Flags a resumed run may change; every other setting comes from its run.json. */
const RESUMABLE = new Set(['steps', 'backend', 'threads', 'sample-every', 'checkpoint-every', 'fid-every', 'out', 'resume', 'data', 'cache']);

/** Throws unless the shipped feature extractor fits the run's images (28x28 gray). */
function checkFidData(data: TrainingSet): void {
  const [h, w, c] = data.data.imageShape;
  if (h !== 28 || w !== 28 || c !== 1) {
    throw new InvalidArgumentError('fid-every', `--fid-every needs 28x28 gray images (the shipped Fashion-MNIST feature extractor); this run's are ${h}x${w}x${c}. Pass --fid-every 0.`);
  }
}

/** Logs FID of the averaged generator every `every` steps as `{"event":"fid"}` lines (28x28x1 data). */
function fidLogger(trainer: Trainer<LayersGan>, data: TrainingSet, log: RunLogger, every: number): TrainerCallback {
  const n = Math.min(500, data.data.size);
  const real = data.data.take(n);
  return {
    onStepEnd: async (m) => {
      if (m.step % every !== 0) return;
      const report = await evaluate(trainer.generator, { real, n, seed: 7, metrics: ['fid'] });
      const fid = report.metrics.find((x) => x.name === 'fid')?.value;
      if (typeof fid === 'number') await log.event('fid', { step: m.step, fid, n });
    },
  };
}

async function train(argv: readonly string[], io: CliIo): Promise<number> {
  const { values: v, help, given } = parseCommand(spec, argv);
  if (help) {
    io.stdout.write(helpText(spec));
    return 0;
  }
  let out = v.out;
  if (out === undefined) {
    if (v.data === undefined) throw new UsageError('give --data DIR (the folder of training images), or --out RUN with --resume.');
    out = path.join('runs', path.basename(path.resolve(v.data)) || 'run');
  }
  const paths = runPaths(out);
  const existing = isRunFolder(out);
  if (existing && !v.resume) throw new UsageError(`${out} already holds a run; pass --resume to continue it, or choose another --out.`);
  let config: RunConfig | undefined;
  if (existing) {
    const saved = readRunConfig(out);
    const ignored = [...given].filter((k) => !RESUMABLE.has(k));
    if (ignored.length > 0) say(io.stderr, `Note: --resume keeps the run's own ${ignored.map((k) => `--${k}`).join(', ')} (see ${paths.config}).`);
    config = {
      ...saved,
      ...(v.steps === undefined ? {} : { steps: v.steps }),
      ...(v.backend === undefined ? {} : { backend: v.backend }),
      ...(v.threads === undefined ? {} : { threads: v.threads }),
      ...(v['sample-every'] === undefined ? {} : { sampleEvery: v['sample-every'] }),
      ...(v['checkpoint-every'] === undefined ? {} : { checkpointEvery: v['checkpoint-every'] }),
      ...(v['fid-every'] === undefined ? {} : { fidEvery: v['fid-every'] }),
    };
  } else if (v.data === undefined) {
    throw new UsageError(v.resume ? `${out} holds no run to resume; give --data DIR to start one.` : 'give --data DIR (the folder of training images).');
  }
  const dataDir = config?.data.dir ?? (v.data as string);
  const size = config?.size ?? v.size ?? TRAIN_DEFAULTS.size;
  const channels = (config?.channels ?? Number(v.channels ?? TRAIN_DEFAULTS.channels)) as 1 | 3;
  const limit = config ? config.limit : v.limit;
  const conditional = config?.conditional ?? v.conditional;
  const data = await loadTrainingData(dataDir, {
    size,
    channels,
    labels: conditional,
    ...(limit === undefined ? {} : { limit }),
    ...(v.cache === undefined ? {} : { cache: v.cache === 'off' ? false : v.cache }),
  });
  say(io.stdout, `Data: ${data.description}`);
  if (config !== undefined && config.data.images !== data.data.size) {
    throw new InvalidArgumentError('data', `The run was trained on ${config.data.images} images but ${dataDir} now gives ${data.data.size}; resume needs the same data.`);
  }
  config ??= configFromFlags(v, data, dataDir);
  if (data.data.size < config.batch * (config.loss === 'wgan-gp' ? 2 : 1)) {
    throw new InvalidArgumentError('batch', `The data has ${data.data.size} images, fewer than one step's batches of ${config.batch}; lower --batch.`);
  }
  if (config.fidEvery > 0) checkFidData(data);
  await fs.mkdir(out, { recursive: true });
  await writeFileAtomic(paths.dataReport, `${JSON.stringify(data.report, null, 2)}\n`);
  await writeRunConfig(out, config);

  const resumable = existing && existsSync(path.join(paths.checkpoint, CHECKPOINT_MANIFEST));
  if (existing && !resumable) say(io.stdout, `No complete checkpoint in ${paths.checkpoint}: starting from step 0.`);
  const trainer = resumable
    ? await Trainer.resume<LayersGan>(paths.checkpoint, { backend: backendSpec(config) })
    : newTrainer(config, data.data.numClasses);
  try {
    const backend = await trainer.ready();
    say(
      io.stdout,
      `${resumable ? `Resuming at step ${trainer.globalStep}` : 'New run'}: ${config.model} ${config.size}x${config.size}x${config.channels}` +
        `${config.conditional ? ' conditional' : ''}, ${config.loss} loss, aug ${config.aug}, batch ${config.batch}, EMA ${config.ema || 'off'}, on ${backend}; writing ${out}`,
    );
    const remaining = config.steps - trainer.globalStep;
    let aborted = false;
    if (remaining > 0) {
      const log = runLogger(paths.metrics, { append: resumable });
      const callbacks: TrainerCallback[] = [
        progressBar(io.stdout, { totalSteps: config.steps }),
        log,
        ...(config.fidEvery > 0 ? [fidLogger(trainer, data, log, config.fidEvery)] : []),
        sampleGridFileCallback(paths.grids, { every: config.sampleEvery }),
        checkpointCallback(paths.checkpoint, { every: config.checkpointEvery }),
        { onStepEnd: async (m) => void (m.step % config.sampleEvery === 0 && (await writeRunReport(out))) },
      ];
      const history = await trainer.fit(data.data, { steps: remaining, callbacks, ...(io.signal ? { signal: io.signal } : {}) });
      aborted = history.stopReason === 'aborted';
    } else {
      say(io.stdout, `Already at step ${trainer.globalStep} of ${config.steps}; writing the generator and the report only.`);
    }
    await trainer.saveGenerator(paths.generator); // the EMA generator when EMA is on
    await writeRunReport(out);
    if (aborted) {
      say(io.stdout, `Interrupted at step ${trainer.globalStep}: checkpoint saved; continue with: aigc train --out ${out} --resume`);
      return 130;
    }
    say(io.stdout, `Wrote ${paths.report}, ${paths.generator}/ and ${paths.grids}/ (step ${trainer.globalStep}).`);
    return 0;
  } finally {
    trainer.dispose();
    trainer.model.dispose();
  }
}

/** The `train` command. */
export const trainCommand: CliCommand = { name: 'train', summary: 'Train a GAN on a folder of pictures.', run: train, };
/** Help text of `aigc train`. */
export const TRAIN_HELP = helpText(spec);
