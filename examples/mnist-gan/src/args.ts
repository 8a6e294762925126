/** The MLP GAN example's options, declared with @aigc/cli's option table (parsing and help come from there). */
import { defineCommand, flagOption, helpText, intOption, parseCommand, stringOption, UsageError } from '@aigc/cli';

export { UsageError };

/** Options of the MLP GAN example, after parsing and validation. */
export interface CliOptions {
  data?: string;
  steps?: number;
  epochs?: number;
  batch: number;
  backend: string;
  seed: number;
  out: string;
  limit?: number;
  sampleEvery: number;
  /** Save a checkpoint into <out>/checkpoint every N steps (0: only when training ends or is interrupted). */
  checkpointEvery: number;
  /** Continue from <out>/checkpoint when it exists. */
  resume: boolean;
  downloadMnist: boolean;
  mnistUrl?: string;
  cacheDir?: string;
  help: boolean;
}

/** Default number of steps: a few minutes on two CPU cores with the wasm backend. */
export const DEFAULT_STEPS = 2000;

/** The command: its options and help. */
export const COMMAND = defineCommand({
  name: 'npm run demo --',
  usage: 'npm run demo -- [options]\n  (or: npx tsx examples/mnist-gan/src/cli.ts [options])',
  summary:
    "Trains the article's MLP GAN on real images and writes, into --out: samples.png (a sample grid), metrics.jsonl (one line per step), " +
    'generator/ (tfjs model), grids/samples-NNNNNN.png (grids during training) and summary.json (evaluation).',
  options: {
    data: stringOption(
      'MNIST-format IDX folder (train-* or t10k-* files, raw or .gz). Default: /usr/share/datasets/fashion-mnist if present, else the embedded Fashion-MNIST t10k set (examples/data/fashion-mnist).',
      undefined,
      'DIR',
    ),
    'download-mnist': flagOption('Download MNIST into a cache folder and train on it.'),
    'mnist-url': stringOption('Base URL for --download-mnist (default: the TF datasets mirror).', undefined, 'URL'),
    cache: stringOption('Cache folder for --download-mnist (default ~/.cache/aigc/mnist).', undefined, 'DIR'),
    steps: intOption('Training steps; exclusive with --epochs', DEFAULT_STEPS, { min: 1 }),
    epochs: intOption('Full passes over the data instead of --steps.', undefined, { min: 1 }),
    batch: intOption('Batch size, as in the article', 128, { min: 1 }),
    backend: stringOption('Compute backend: wasm, cpu, webgpu, node, node-gpu', 'wasm', 'NAME'),
    seed: intOption('Seed for weights, data order and latents', 42, { min: 0 }),
    limit: intOption('Use only the first N training images.', undefined, { min: 1 }),
    'sample-every': intOption('Write a sample grid every N steps (0 = never)', 250, { min: 0 }),
    'checkpoint-every': intOption(
      'Save a checkpoint into OUT/checkpoint every N steps (0 = only at the end). Ctrl-C or SIGTERM stops after the current step, saves a checkpoint and exits with 130 (143 for SIGTERM); a second one quits at once',
      500,
      { min: 0 },
    ),
    resume: flagOption('Continue from OUT/checkpoint (written by an interrupted run) up to --steps/--epochs in total, with the same options as the first run.'),
    out: stringOption('Output folder', 'out/mnist-gan', 'DIR'),
  },
});

/** The `--help` text. */
export const USAGE = helpText(COMMAND);

/** Parses argv (without node and script); throws UsageError on unknown, bad or conflicting flags. */
export function parseCliArgs(argv: string[]): CliOptions {
  const { values: v, given, help } = parseCommand(COMMAND, argv);
  if (given.has('steps') && v.epochs !== undefined) throw new UsageError('Give --steps or --epochs, not both.');
  if (v.data !== undefined && v['download-mnist']) throw new UsageError('Give --data or --download-mnist, not both.');
  return {
    batch: v.batch,
    backend: v.backend,
    seed: v.seed,
    out: v.out,
    sampleEvery: v['sample-every'],
    checkpointEvery: v['checkpoint-every'],
    resume: v.resume,
    downloadMnist: v['download-mnist'],
    help,
    ...(v.data === undefined ? {} : { data: v.data }),
    ...(v['mnist-url'] === undefined ? {} : { mnistUrl: v['mnist-url'] }),
    ...(v.cache === undefined ? {} : { cacheDir: v.cache }),
    ...(v.limit === undefined ? {} : { limit: v.limit }),
    ...(v.epochs === undefined ? { steps: v.steps } : { epochs: v.epochs }),
  };
}
