import { InvalidArgumentError } from '../errors.js';
import { gradientPenalty } from './gradient-penalty.js';
import { hingeLoss } from './hinge.js';
import { leastSquaresLoss } from './least-squares.js';
import { minimaxLoss } from './minimax.js';
import { nonSaturatingLoss } from './non-saturating.js';
import { r1Penalty } from './r1-penalty.js';
import type { DiscriminatorRegularizer } from './regularizer.js';
import { relativisticAverageLoss } from './relativistic.js';
import type { LossFn } from './types.js';
import { wassersteinLoss } from './wasserstein.js';

/** Numeric options of a loss or regularizer, as stored in checkpoints (e.g. `{ weightClip: 0.01 }`). */
export type LossConfig = Readonly<Record<string, number>>;

const LOSSES: Record<string, (c: LossConfig) => LossFn> = {
  minimax: (c) => minimaxLoss(c),
  'non-saturating': (c) => nonSaturatingLoss(c),
  wasserstein: (c) => wassersteinLoss(c),
  'least-squares': () => leastSquaresLoss(),
  hinge: () => hingeLoss(),
  'relativistic-average': () => relativisticAverageLoss(),
};

const REGULARIZERS: Record<string, (c: LossConfig) => DiscriminatorRegularizer> = {
  'gradient-penalty': (c) => gradientPenalty(c),
  r1: (c) => r1Penalty(c),
};

/** Rebuilds a built-in loss from its `name` and `config` (as stored in checkpoints). */
export function lossFromConfig(name: string, config: LossConfig = {}): LossFn {
  const make = LOSSES[name];
  if (make === undefined) {
    throw new InvalidArgumentError(
      'loss',
      `Unknown loss "${name}". Built-in losses: ${Object.keys(LOSSES).join(', ')}; pass your own LossFn as the loss option.`,
    );
  }
  return make(config);
}

/** Rebuilds a built-in regularizer from its `name` and `config` (as stored in checkpoints). */
export function regularizerFromConfig(name: string, config: LossConfig = {}): DiscriminatorRegularizer {
  const make = REGULARIZERS[name];
  if (make === undefined) {
    throw new InvalidArgumentError(
      'regularizers',
      `Unknown regularizer "${name}". Built-ins: ${Object.keys(REGULARIZERS).join(', ')}; pass your own in the regularizers option.`,
    );
  }
  return make(config);
}
