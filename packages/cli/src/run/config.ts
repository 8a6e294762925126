/** `run.json`: what a training run was asked to do, written when it starts and read by resume, sample and info. */
import { readFileSync } from 'node:fs';
import { InvalidDataError } from '@aigc/core';
import { writeFileAtomic } from '@aigc/core/node';
import { runPaths } from './layout.js';

/** The model families `aigc train --model` offers. */
export const MODEL_NAMES = ['dcgan', 'mlp'] as const;
/** A model family of {@link MODEL_NAMES}. */
export type ModelName = (typeof MODEL_NAMES)[number];

/** The losses `aigc train --loss` offers. */
export const LOSS_NAMES = ['hinge', 'non-saturating', 'wgan-gp', 'least-squares', 'relativistic-average', 'minimax'] as const;
/** A loss of {@link LOSS_NAMES}. */
export type LossName = (typeof LOSS_NAMES)[number];

/** The augmentations `aigc train --aug` offers. */
export const AUGMENT_NAMES = ['diffaugment', 'ada', 'none'] as const;
/** An augmentation of {@link AUGMENT_NAMES}. */
export type AugmentName = (typeof AUGMENT_NAMES)[number];

/** The configuration of a run (`run.json`). */
export interface RunConfig {
  /** Format version of this file. */
  readonly format: 1;
  /** The training data. */
  readonly data: {
    /** Folder trained on, as given. */
    readonly dir: string;
    /** Images loaded. */
    readonly images: number;
    /** Class names in label order, for conditional runs and `aigc sample --class`. */
    readonly classNames?: readonly string[];
    /** How the images were read. */
    readonly description: string;
  };
  /** Image side in pixels. */
  readonly size: number;
  /** Image channels (1 or 3). */
  readonly channels: number;
  /** Model family. */
  readonly model: ModelName;
  /** Base filter count of DCGAN's networks. */
  readonly filters: number;
  /** Whether G and D take the class label. */
  readonly conditional: boolean;
  /** The GAN loss. */
  readonly loss: LossName;
  /** The augmentation. */
  readonly aug: AugmentName;
  /** Global step the run trains to. */
  readonly steps: number;
  /** Batch size. */
  readonly batch: number;
  /** Backend asked for. */
  readonly backend: string;
  /** wasm threads asked for (undefined: the backend's default). */
  readonly threads?: number;
  /** EMA decay of the generator (0: no EMA). */
  readonly ema: number;
  /** Seed of weights, data order and latents. */
  readonly seed: number;
  /** Grid every N steps. */
  readonly sampleEvery: number;
  /** Checkpoint every N steps. */
  readonly checkpointEvery: number;
  /** FID every N steps (0: never). */
  readonly fidEvery: number;
  /** Only the first N images were used (undefined: all). */
  readonly limit?: number;
  /** When the run was first started (ISO time). */
  readonly createdAt: string;
}

/** Writes `run.json` into the run folder, atomically. */
export async function writeRunConfig(dir: string, config: RunConfig): Promise<void> {
  await writeFileAtomic(runPaths(dir).config, `${JSON.stringify(config, null, 2)}\n`);
}

/** Reads a run folder's `run.json`; InvalidDataError when the folder is not a run. */
export function readRunConfig(dir: string): RunConfig {
  const file = runPaths(dir).config;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    throw new InvalidDataError(`${dir} is not an aigc run folder (no run.json); pass the --out folder of an "aigc train" run.`);
  }
  let config: RunConfig;
  try {
    config = JSON.parse(text) as RunConfig;
  } catch (cause) {
    throw new InvalidDataError(`${file} is not valid JSON (${(cause as Error).message}); the run folder is damaged.`, { cause });
  }
  if (config?.format !== 1) throw new InvalidDataError(`${file} has format ${String(config?.format)}; this aigc reads format 1.`);
  return config;
}
