import { InvalidArgumentError } from '../errors.js';
import type { Json } from '../models/kinds.js';
import type { EmaOptions } from './ema.js';
import { bool, describeValue, integerAtLeast, positiveInt, record } from './validate.js';

/**
 * The Trainer's checked, serialisable settings: what its options mean once defaults are filled in.
 * Checkpoints store it whole (with the objective's own config), and resume rebuilds from it.
 */
export interface TrainerConfig {
  /** Images per batch. */
  readonly batchSize: number;
  /** Seed of the data order and of the trainer's random stream (and the default sampler). */
  readonly seed: number;
  /** The generator EMA, or null when off. */
  readonly ema: { readonly decay: number; readonly startStep: number; readonly warmup?: boolean } | null;
  /** The divergence guard's snapshot period, or null when it only checks the losses. */
  readonly divergenceGuard: { readonly every: number } | null;
  /** The objective's registry name and settings. */
  readonly objective: { readonly name: string; readonly config: { readonly [key: string]: Json } };
}

/** The generic (objective-independent) options, as {@link parseTrainerConfig} reads them. */
export interface GenericOptions {
  readonly batchSize?: number;
  readonly seed?: number;
  readonly ema?: boolean | EmaOptions;
  readonly divergenceGuard?: boolean | { readonly every?: number };
}

/** Checks the generic options once and fills in the defaults; every failure is an InvalidArgumentError naming the option. */
export function parseTrainerConfig(options: GenericOptions): Omit<TrainerConfig, 'objective'> {
  const seed = options.seed ?? 0;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed)) {
    throw new InvalidArgumentError('seed', `seed must be an integer, got ${describeValue(seed)}.`);
  }
  const ema = options.ema ?? false;
  let emaConfig: TrainerConfig['ema'] = null;
  if (typeof ema === 'object' && ema !== null) {
    const e = record('ema', ema, '{ decay: 0.999 }');
    const decay = e.decay ?? 0.999;
    if (typeof decay !== 'number' || !(decay >= 0 && decay < 1)) {
      throw new InvalidArgumentError('ema.decay', `ema.decay must be in [0, 1), got ${describeValue(decay)}.`);
    }
    const startStep = integerAtLeast('ema.startStep', e.startStep ?? 0, 0);
    // warmup is stored only when on, so configs (and checkpoints) of runs without it stay as they were.
    emaConfig = bool('ema.warmup', e.warmup ?? false) ? { decay, startStep, warmup: true } : { decay, startStep };
  } else if (bool('ema', ema)) {
    emaConfig = { decay: 0.999, startStep: 0 };
  }
  const guard = options.divergenceGuard ?? true;
  const every = typeof guard === 'object' && guard !== null ? positiveInt('divergenceGuard.every', guard.every ?? 1) : bool('divergenceGuard', guard) ? 1 : undefined;
  return {
    batchSize: positiveInt('batchSize', options.batchSize ?? 128),
    seed,
    ema: emaConfig,
    divergenceGuard: every === undefined ? null : { every },
  };
}
