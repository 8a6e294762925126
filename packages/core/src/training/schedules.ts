import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';

/** A learning rate as a function of the 1-based global step being trained. */
export type LearningRateSchedule = (step: number) => number;

function check(name: string, value: number, min = 0): void {
  if (!(value >= min) || !Number.isFinite(value)) throw new InvalidArgumentError(name, `${name} must be a finite number >= ${min}, got ${String(value)}.`);
}

/** Linear decay from `initial` at step 1 to `final` (default 0) at `totalSteps`, constant after. */
export function linearDecaySchedule(initial: number, totalSteps: number, final = 0): LearningRateSchedule {
  check('initial', initial);
  check('final', final);
  check('totalSteps', totalSteps, 1);
  return (step) => initial + (final - initial) * Math.min(1, Math.max(0, step - 1) / Math.max(1, totalSteps - 1));
}

/** Cosine decay (Loshchilov & Hutter 2017) from `initial` at step 1 to `final` (default 0) at `totalSteps`. */
export function cosineDecaySchedule(initial: number, totalSteps: number, final = 0): LearningRateSchedule {
  check('initial', initial);
  check('final', final);
  check('totalSteps', totalSteps, 1);
  return (step) => {
    const t = Math.min(1, Math.max(0, step - 1) / Math.max(1, totalSteps - 1));
    return final + 0.5 * (initial - final) * (1 + Math.cos(Math.PI * t));
  };
}

/** @internal Sets an optimizer's learning rate: `setLearningRate` (SGD, momentum) or the `learningRate` field (Adam, RMSProp, ...). */
export function setLearningRate(optimizer: tf.Optimizer, rate: number): void {
  if (!(rate >= 0) || !Number.isFinite(rate)) {
    throw new InvalidArgumentError('learningRateSchedules', `A learning-rate schedule returned ${String(rate)}; it must return finite numbers >= 0.`);
  }
  const o = optimizer as unknown as { setLearningRate?: (lr: number) => void; learningRate?: number };
  if (typeof o.setLearningRate === 'function') o.setLearningRate(rate);
  else if (typeof o.learningRate === 'number') o.learningRate = rate;
  else throw new InvalidArgumentError('learningRateSchedules', `The optimizer ${optimizer.getClassName()} has no learning rate to schedule.`);
}
