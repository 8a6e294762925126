import { LOSSES, REGULARIZERS, registerLoss, registerRegularizer } from './table.js';
import type { DiscriminatorRegularizer } from './regularizer.js';
import type { LossFn } from './types.js';
import type { LossConfig } from './table.js';
import './builtins.js';

export { registerLoss, registerRegularizer, type LossConfig, type LossFactory, type RegularizerFactory } from './table.js';

/** Rebuilds a registered loss from its `name` and `config` (as stored in checkpoints). */
export function lossFromConfig(name: string, config: LossConfig = {}): LossFn {
  return LOSSES.get(name)(config);
}

/** Rebuilds a registered regularizer from its `name` and `config` (as stored in checkpoints). */
export function regularizerFromConfig(name: string, config: LossConfig = {}): DiscriminatorRegularizer {
  return REGULARIZERS.get(name)(config);
}
