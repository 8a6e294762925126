import { parseArgs } from 'node:util';

/** Options of the DCGAN example, after parsing and validation. */
export interface DcganCliOptions {
  data?: string;
  /** Total steps to reach (a resumed run continues up to it). */
  steps: number;
  batch: number;
  backend: string;
  seed: number;
  out: string;
  loss: 'hinge' | 'wgan-gp';
  /** Filters of D's first and G's last hidden layer (64 is the standard DCGAN). */
  filters: number;
  limit?: number;
  emaDecay: number;
  checkpointEvery: number;
  sampleEvery: number;
  /** Generated images scored at the end by `@aigc/core`'s metrics (0 = skip). */
  evalSamples: number;
  resume: boolean;
  help: boolean;
}

/** Default steps: enough for recognizable clothing (about 300 steps). */
export const DEFAULT_STEPS = 400;

export const USAGE = `Usage: npm run demo:dcgan -- [options]
  (or: npx tsx examples/dcgan/src/cli.ts [options])

Trains a DCGAN on Fashion-MNIST with a hinge or WGAN-GP loss, an EMA of the generator and
resumable checkpoints. Writes into --out:
  samples.png (grid from the EMA generator), checkpoint/ (full training state),
  metrics.jsonl (one line per step), grids/samples-NNNNNN.png (grids during training, step zero-padded to six digits).

Options:
  --data DIR           MNIST-format IDX folder (train-* or t10k-* files, raw or .gz).
                       Default: /usr/share/datasets/fashion-mnist if present, else the
                       embedded Fashion-MNIST t10k set (examples/data/fashion-mnist).
  --steps N            Train until global step N (default ${DEFAULT_STEPS}); with --resume, continues up to N.
  --batch N            Batch size (default 64).
  --backend NAME       Compute backend: wasm (default), cpu, webgpu, node, node-gpu.
  --seed N             Seed for weights, data order and latents (default 42).
  --loss NAME          hinge (default) or wgan-gp (Wasserstein + gradient penalty, 2 D steps per G step).
  --filters N          Base filter count (default 64; smaller is faster and weaker).
  --limit N            Use only the first N training images.
  --ema-decay X        Decay of the generator's moving average (default 0.99: a half-life of
                       about 70 steps, right for runs of hundreds of steps; 0.999 for long runs).
  --checkpoint-every N Save the checkpoint every N steps (default 50; always at the end).
  --sample-every N     Write a grid every N steps (default 100; 0 = only at the end).
  --eval N             Score N generated images against held-out real ones at the end (FID,
                       KID, precision/recall, class coverage; default 1000; 0 = skip).
  --resume             Continue from --out/checkpoint (same data, exact continuation).
  --out DIR            Output folder (default out/dcgan).
  --help               Show this help.
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
export function parseCliArgs(argv: string[]): DcganCliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        steps: { type: 'string' },
        batch: { type: 'string' },
        backend: { type: 'string' },
        seed: { type: 'string' },
        out: { type: 'string' },
        loss: { type: 'string' },
        filters: { type: 'string' },
        limit: { type: 'string' },
        'ema-decay': { type: 'string' },
        'checkpoint-every': { type: 'string' },
        'sample-every': { type: 'string' },
        eval: { type: 'string' },
        resume: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const loss = values.loss ?? 'hinge';
  if (loss !== 'hinge' && loss !== 'wgan-gp') throw new UsageError(`--loss must be hinge or wgan-gp, got "${loss}".`);
  const emaDecay = values['ema-decay'] === undefined ? 0.99 : Number(values['ema-decay']);
  if (!(emaDecay >= 0 && emaDecay < 1)) throw new UsageError(`--ema-decay must be a number in [0, 1), got "${values['ema-decay']}".`);
  const opts: DcganCliOptions = {
    steps: int('steps', values.steps, 1) ?? DEFAULT_STEPS,
    batch: int('batch', values.batch, 1) ?? 64,
    backend: values.backend ?? 'wasm',
    seed: int('seed', values.seed, 0) ?? 42,
    out: values.out ?? 'out/dcgan',
    loss,
    filters: int('filters', values.filters, 1) ?? 64,
    emaDecay,
    checkpointEvery: int('checkpoint-every', values['checkpoint-every'], 1) ?? 50,
    sampleEvery: int('sample-every', values['sample-every'], 0) ?? 100,
    evalSamples: int('eval', values.eval, 0) ?? 1000,
    resume: values.resume ?? false,
    help: values.help ?? false,
  };
  if (values.data !== undefined) opts.data = values.data;
  const limit = int('limit', values.limit, 1);
  if (limit !== undefined) opts.limit = limit;
  return opts;
}
