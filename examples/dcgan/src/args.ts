/** The DCGAN example's options, declared with @aigc/cli's option table (parsing and help come from there). */
import { RECIPES, type DcganRecipe } from './recipes.js';
import { choiceOption, defineCommand, flagOption, helpText, intOption, numberOption, parseCommand, stringOption, UsageError } from '@aigc/cli';

export { UsageError };

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
  /** Training recipe (see `recipes.ts`). */
  recipe: DcganRecipe;
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

/** The command: its options and help. */
export const COMMAND = defineCommand({
  name: 'npm run demo:dcgan --',
  usage: 'npm run demo:dcgan -- [options]\n  (or: npx tsx examples/dcgan/src/cli.ts [options])',
  summary:
    'Trains a DCGAN on Fashion-MNIST with a hinge or WGAN-GP loss, an EMA of the generator and resumable checkpoints. Writes into --out: ' +
    'samples.png (grid from the EMA generator), checkpoint/ (full training state), metrics.jsonl (one line per step), grids/samples-NNNNNN.png (grids during training, step zero-padded to six digits).',
  options: {
    data: stringOption(
      'MNIST-format IDX folder (train-* or t10k-* files, raw or .gz). Default: /usr/share/datasets/fashion-mnist if present, else the embedded Fashion-MNIST t10k set (examples/data/fashion-mnist).',
      undefined,
      'DIR',
    ),
    steps: intOption('Train until global step N; with --resume, continues up to N', DEFAULT_STEPS, { min: 1 }),
    batch: intOption('Batch size', 64, { min: 1 }),
    backend: stringOption('Compute backend: wasm, cpu, webgpu, node, node-gpu', 'wasm', 'NAME'),
    seed: intOption('Seed for weights, data order and latents', 42, { min: 0 }),
    loss: choiceOption('hinge, or wgan-gp (Wasserstein + gradient penalty, 2 D steps per G step)', ['hinge', 'wgan-gp'] as const, 'hinge'),
    recipe: choiceOption(
      `Training recipe. classic: ${RECIPES.classic}. fast: ${RECIPES.fast}`,
      ['classic', 'fast'] as const,
      'fast',
    ),
    filters: intOption('Base filter count; smaller is faster and weaker', 64, { min: 1 }),
    limit: intOption('Use only the first N training images.', undefined, { min: 1 }),
    'ema-decay': numberOption(
      "Decay of the generator's moving average in the classic recipe (0.99: a half-life of about 70 steps, right for runs of hundreds of steps; 0.999 for long runs); the fast recipe samples from G itself",
      0.99,
      { min: 0, max: 1, exclusiveMax: true },
    ),
    'checkpoint-every': intOption('Save the checkpoint every N steps; always at the end', 50, { min: 1 }),
    'sample-every': intOption('Write a grid every N steps (0 = only at the end)', 100, { min: 0 }),
    eval: intOption('Score N generated images against held-out real ones at the end (FID, KID, precision/recall, class coverage; 0 = skip)', 1000, { min: 0 }),
    resume: flagOption('Continue from --out/checkpoint (same data, exact continuation).'),
    out: stringOption('Output folder', 'out/dcgan', 'DIR'),
  },
  epilog: 'Ctrl-C (or SIGTERM, e.g. kill PID) finishes the current step, saves the checkpoint and exits with 130 (143 for SIGTERM);\na second one quits at once. Run the same command with --resume to continue.',
});

/** The `--help` text. */
export const USAGE = helpText(COMMAND);

/** Parses argv (without node and script); throws UsageError on unknown or bad flags. */
export function parseCliArgs(argv: string[]): DcganCliOptions {
  const { values: v, help } = parseCommand(COMMAND, argv);
  return {
    steps: v.steps,
    batch: v.batch,
    backend: v.backend,
    seed: v.seed,
    out: v.out,
    loss: v.loss,
    recipe: v.recipe,
    filters: v.filters,
    emaDecay: v['ema-decay'],
    checkpointEvery: v['checkpoint-every'],
    sampleEvery: v['sample-every'],
    evalSamples: v.eval,
    resume: v.resume,
    help,
    ...(v.data === undefined ? {} : { data: v.data }),
    ...(v.limit === undefined ? {} : { limit: v.limit }),
  };
}
