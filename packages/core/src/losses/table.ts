// The registries themselves, apart from registry.ts so that built-ins can register while registry.ts loads them all.
import { Registry } from '../registry.js';
import type { DiscriminatorRegularizer } from './regularizer.js';
import type { LossFn } from './types.js';

/** Numeric options of a loss or regularizer, as stored in checkpoints (e.g. `{ weightClip: 0.01 }`). */
export type LossConfig = Readonly<Record<string, number>>;

/** Makes a loss from its stored options. */
export type LossFactory = (config: LossConfig) => LossFn;
/** Makes a regularizer from its stored options. */
export type RegularizerFactory = (config: LossConfig) => DiscriminatorRegularizer;

export const LOSSES = new Registry<LossFactory>('loss', 'losses', 'loss', 'registerLoss');
export const REGULARIZERS = new Registry<RegularizerFactory>('regularizer', 'regularizers', 'regularizers', 'registerRegularizer');

/**
 * Registers a loss under the `name` its LossFn reports, so `Trainer.resume` rebuilds it from a
 * checkpoint by name (built-ins register themselves; a later registration replaces an earlier one).
 */
export function registerLoss(name: string, factory: LossFactory): void {
  LOSSES.register(name, factory);
}

/** Registers a discriminator regularizer by name, as {@link registerLoss} does for losses. */
export function registerRegularizer(name: string, factory: RegularizerFactory): void {
  REGULARIZERS.register(name, factory);
}
