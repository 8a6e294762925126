import { parseArgs } from 'node:util';

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

export const USAGE = `Usage: npm run demo -- [options]
  (or: npx tsx examples/mnist-gan/src/cli.ts [options])

Trains the article's MLP GAN on real images and writes, into --out:
  samples.png (a sample grid), metrics.jsonl (one line per step), generator/ (tfjs model),
  grids/samples-N.png (grids during training) and summary.json (evaluation).

Options:
  --data DIR         MNIST-format IDX folder (train-* or t10k-* files, raw or .gz).
                     Default: /usr/share/datasets/fashion-mnist if present, else the
                     embedded Fashion-MNIST t10k set (examples/data/fashion-mnist).
  --download-mnist   Download MNIST into a cache folder and train on it.
  --mnist-url URL    Base URL for --download-mnist (default: the TF datasets mirror).
  --cache DIR        Cache folder for --download-mnist (default ~/.cache/aigc/mnist).
  --steps N          Training steps (default ${DEFAULT_STEPS}). Exclusive with --epochs.
  --epochs N         Full passes over the data instead of --steps.
  --batch N          Batch size (default 128, as in the article).
  --backend NAME     Compute backend: wasm (default), cpu, webgpu, node, node-gpu.
  --seed N           Seed for weights, data order and latents (default 42).
  --limit N          Use only the first N training images.
  --sample-every N   Write a sample grid every N steps (default 250; 0 = never).
  --checkpoint-every N  Save a checkpoint into OUT/checkpoint every N steps (default 500;
                     0 = only at the end). Ctrl-C stops after the current step, saves
                     a checkpoint and exits with 130.
  --resume           Continue from OUT/checkpoint (written by an interrupted run) up to
                     --steps/--epochs in total, with the same options as the first run.
  --out DIR          Output folder (default out/mnist-gan).
  --help             Show this help.
`;

/** A command-line mistake: the CLI prints the message and the usage, and exits with 2. */
export class UsageError extends Error {}

function int(name: string, value: string | undefined, min: number): number | undefined {
  if (value === undefined) return undefined;
  if (!/^-?\d+$/.test(value)) throw new UsageError(`--${name} must be an integer, got "${value}".`);
  const n = Number(value);
  if (n < min) throw new UsageError(`--${name} must be at least ${min}, got ${n}.`);
  return n;
}

/** Parses argv (without node and script); throws UsageError on unknown or bad flags. */
export function parseCliArgs(argv: string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        'download-mnist': { type: 'boolean', default: false },
        'mnist-url': { type: 'string' },
        cache: { type: 'string' },
        steps: { type: 'string' },
        epochs: { type: 'string' },
        batch: { type: 'string' },
        backend: { type: 'string' },
        seed: { type: 'string' },
        limit: { type: 'string' },
        'sample-every': { type: 'string' },
        'checkpoint-every': { type: 'string' },
        resume: { type: 'boolean', default: false },
        out: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const steps = int('steps', values.steps, 1);
  const epochs = int('epochs', values.epochs, 1);
  if (steps !== undefined && epochs !== undefined) throw new UsageError('Give --steps or --epochs, not both.');
  if (values.data !== undefined && values['download-mnist']) throw new UsageError('Give --data or --download-mnist, not both.');
  const opts: CliOptions = {
    batch: int('batch', values.batch, 1) ?? 128,
    backend: values.backend ?? 'wasm',
    seed: int('seed', values.seed, 0) ?? 42,
    out: values.out ?? 'out/mnist-gan',
    sampleEvery: int('sample-every', values['sample-every'], 0) ?? 250,
    checkpointEvery: int('checkpoint-every', values['checkpoint-every'], 0) ?? 500,
    resume: values.resume ?? false,
    downloadMnist: values['download-mnist'] ?? false,
    help: values.help ?? false,
  };
  if (values.data !== undefined) opts.data = values.data;
  if (values['mnist-url'] !== undefined) opts.mnistUrl = values['mnist-url'];
  if (values.cache !== undefined) opts.cacheDir = values.cache;
  const limit = int('limit', values.limit, 1);
  if (limit !== undefined) opts.limit = limit;
  if (epochs !== undefined) opts.epochs = epochs;
  else opts.steps = steps ?? DEFAULT_STEPS;
  return opts;
}
