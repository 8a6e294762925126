import { InvalidArgumentError } from '../errors.js';
import { checkKeys } from '../options.js';

/** Options of {@link instanceNoise}. */
export interface InstanceNoiseOptions {
  /** Standard deviation of the Gaussian noise at step 1. Default 0.1. */
  readonly stddev?: number;
  /** Steps over which the stddev falls linearly to 0; 0 keeps it constant. Default 0. */
  readonly annealSteps?: number;
}

/** Instance noise settings; pass to the Trainer's `instanceNoise` option. */
export interface InstanceNoise {
  /** The options, for checkpoints. */
  readonly config: Readonly<Required<InstanceNoiseOptions>>;
  /** The noise stddev at a (1-based) global step. */
  stddevAt(step: number): number;
}

/**
 * Instance noise (Sønderby et al. 2016; Arjovsky & Bottou 2017): Gaussian noise added to every
 * image D sees, real and generated, so the two distributions overlap; usually annealed to 0.
 */
export function instanceNoise(options: InstanceNoiseOptions = {}): InstanceNoise {
  checkKeys('instanceNoise', options, { stddev: true, annealSteps: true });
  const stddev = options.stddev ?? 0.1;
  const annealSteps = options.annealSteps ?? 0;
  if (!(stddev >= 0) || !Number.isFinite(stddev)) {
    throw new InvalidArgumentError('stddev', `stddev must be a finite number >= 0, got ${String(stddev)}.`);
  }
  if (!Number.isInteger(annealSteps) || annealSteps < 0) {
    throw new InvalidArgumentError('annealSteps', `annealSteps must be an integer >= 0, got ${String(annealSteps)}.`);
  }
  return {
    config: { stddev, annealSteps },
    stddevAt: (step) => (annealSteps === 0 ? stddev : stddev * Math.max(0, 1 - (step - 1) / annealSteps)),
  };
}
