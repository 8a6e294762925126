import { parseArgs } from 'node:util';

/** Options of the VAE example, after parsing and validation. */
export interface VaeCliOptions {
  data?: string;
  limit?: number;
  /** Steps to train. */
  steps: number;
  batch: number;
  model: 'mlp' | 'conv';
  /** Latent width; default 100 for mlp (the article's), 32 for conv. */
  latent?: number;
  likelihood: 'bernoulli' | 'gaussian';
  beta: number;
  klWarmup: number;
  learningRate: number;
  backend: string;
  seed: number;
  /** Generated images scored by FID at the end (0 = skip). */
  evalSamples: number;
  out: string;
  /** Continue from --out/checkpoint up to --steps. */
  resume: boolean;
  help: boolean;
}

/** Default steps: about two epochs of Fashion-MNIST at batch 128 (a few minutes on wasm). */
export const DEFAULT_STEPS = 1000;

export const USAGE = `Usage: npx tsx examples/vae/src/cli.ts [options]

Trains a variational autoencoder on Fashion-MNIST and writes into --out:
  samples.png (8x8 prior samples), reconstructions.png (test images beside their
  reconstructions), generator/ (the decoder, loadable with loadGenerator),
  metrics.jsonl (loss, elbo, reconstruction, kl per step), checkpoint/ (resumable state).

Options:
  --data DIR           MNIST-format IDX folder. Default: /usr/share/datasets/fashion-mnist if
                       present, else the embedded t10k set (examples/data/fashion-mnist).
  --limit N            Use only the first N training images.
  --steps N            Train until global step N (default ${DEFAULT_STEPS}); with --resume, continues up to N.
  --batch N            Batch size (default 128).
  --model NAME         mlp (default: the article's 784-128-z / z-128-784-784) or conv.
  --latent N           Latent width (default 100 for mlp, 32 for conv).
  --likelihood NAME    bernoulli (default) or gaussian (fixed std 0.2 in [-1, 1] units).
  --beta X             Weight of the KL term (default 1).
  --kl-warmup N        Steps over which the KL weight ramps up to beta (default 0).
  --lr X               Adam learning rate (default 0.001).
  --backend NAME       Compute backend: wasm (default), cpu, webgpu, node, node-gpu.
  --seed N             Seed for weights, data order and noise (default 42).
  --eval N             Score N prior samples by FID against held-out images (default 1000; 0 = skip).
  --resume             Continue from --out/checkpoint (saved every 100 steps and at the end).
  --out DIR            Output folder (default out/vae).
  --help               Show this help.

Ctrl-C (or SIGTERM, e.g. kill PID) finishes the current step, saves the checkpoint and exits
with 130 (143 for SIGTERM); a second one quits at once. Continue with --resume.
`;

/** A command-line mistake: the CLI prints the message and the usage, and exits with 2. */
export class UsageError extends Error {}

function integer(name: string, raw: string | undefined, fallback: number, min: number): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (!/^\d+$/.test(raw.trim()) || !Number.isSafeInteger(v) || v < min) throw new UsageError(`--${name} must be an integer >= ${min}, got "${raw}".`);
  return v;
}

function number(name: string, raw: string | undefined, fallback: number, ok: (v: number) => boolean, what: string): number {
  if (raw === undefined) return fallback;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || !ok(v)) throw new UsageError(`--${name} must be ${what}, got "${raw}".`);
  return v;
}

function oneOf<T extends string>(name: string, raw: string | undefined, choices: readonly T[]): T {
  if (raw === undefined) return choices[0]!;
  if (!(choices as readonly string[]).includes(raw)) throw new UsageError(`--${name} must be one of ${choices.join(', ')}, got "${raw}".`);
  return raw as T;
}

/** Parses and validates the command line (throws {@link UsageError}). */
export function parseCliArgs(argv: readonly string[]): VaeCliOptions {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        data: { type: 'string' },
        limit: { type: 'string' },
        steps: { type: 'string' },
        batch: { type: 'string' },
        model: { type: 'string' },
        latent: { type: 'string' },
        likelihood: { type: 'string' },
        beta: { type: 'string' },
        'kl-warmup': { type: 'string' },
        lr: { type: 'string' },
        backend: { type: 'string' },
        seed: { type: 'string' },
        eval: { type: 'string' },
        out: { type: 'string' },
        resume: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
    }));
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const s = (k: string) => values[k] as string | undefined;
  const limit = s('limit');
  const latent = s('latent');
  return {
    ...(s('data') === undefined ? {} : { data: s('data') as string }),
    ...(limit === undefined ? {} : { limit: integer('limit', limit, 0, 1) }),
    steps: integer('steps', s('steps'), DEFAULT_STEPS, 1),
    batch: integer('batch', s('batch'), 128, 1),
    model: oneOf('model', s('model'), ['mlp', 'conv'] as const),
    ...(latent === undefined ? {} : { latent: integer('latent', latent, 0, 1) }),
    likelihood: oneOf('likelihood', s('likelihood'), ['bernoulli', 'gaussian'] as const),
    beta: number('beta', s('beta'), 1, (v) => v >= 0, 'a number >= 0'),
    klWarmup: integer('kl-warmup', s('kl-warmup'), 0, 0),
    learningRate: number('lr', s('lr'), 1e-3, (v) => v > 0, 'a number > 0'),
    backend: s('backend') ?? 'wasm',
    seed: integer('seed', s('seed'), 42, 0),
    evalSamples: integer('eval', s('eval'), 1000, 0),
    out: s('out') ?? 'out/vae',
    resume: values.resume === true,
    help: values.help === true,
  };
}
