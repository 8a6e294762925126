import { InvalidArgumentError } from '../errors.js';
import type { TrainerCore } from './core.js';
import type { Trainer } from './trainer.js';
import { positiveInt, integerAtLeast } from './validate.js';
import type { Batch, TrainerCallback, TrainHistory, TrainingData, TrainingMetrics } from './types.js';

/** Options of {@link Trainer.fit}. Give `epochs`, `steps` or `untilStep` (default 1 epoch). */
export interface FitOptions<S extends TrainingMetrics = TrainingMetrics> {
  /** Full passes over the data. */
  readonly epochs?: number;
  /** Steps to run in this call, crossing epochs as needed. */
  readonly steps?: number;
  /** Train until the global step reaches this number; a call that finds it reached runs no step (so a rerun of a resumed script is a no-op). */
  readonly untilStep?: number;
  /** Hooks called around epochs and steps. */
  readonly callbacks?: readonly TrainerCallback<S>[];
  /** Aborting stops training cleanly between two steps; `fit` then resolves with `stopReason: 'aborted'`. */
  readonly signal?: AbortSignal;
}

/** How many steps a `fit` call runs. */
function plannedSteps(core: TrainerCore, options: FitOptions, stepsPerEpoch: number): number {
  const given = (['epochs', 'steps', 'untilStep'] as const).filter((k) => options[k] !== undefined);
  if (given.length > 1) throw new InvalidArgumentError(given[1] as string, `Give either epochs or steps (or untilStep), not both (got ${given.join(' and ')}).`);
  if (options.untilStep !== undefined) return Math.max(0, integerAtLeast('untilStep', options.untilStep, 0) - core.globalStep);
  if (options.steps !== undefined) return positiveInt('steps', options.steps);
  return positiveInt('epochs', options.epochs ?? 1) * stepsPerEpoch;
}

/**
 * The training loop: full shuffled batches (the remainder of each epoch dropped), `batchesPerStep`
 * of them per step, callbacks awaited in order, abort between steps.
 */
export async function runFit<S extends TrainingMetrics>(trainer: Trainer<any, S>, core: TrainerCore, data: TrainingData, options: FitOptions<S>): Promise<TrainHistory<S>> {
  if (options === null || typeof options !== 'object') throw new InvalidArgumentError('options', `fit options must be an object such as { steps: 100 }, got ${String(options)}.`);
  const callbacks = options.callbacks ?? [];
  if (!Array.isArray(callbacks) || callbacks.some((cb) => typeof cb !== 'object' || cb === null)) {
    throw new InvalidArgumentError('callbacks', 'callbacks must be a list of callback objects such as { onStepEnd(m) { ... } }; one of them is missing (undefined or null).');
  }
  const model = core.model;
  core.cursor.check(data, model.imageShape, model.numClasses);
  const perStep = core.objective.batchesPerStep;
  const stepsPerEpoch = Math.max(1, Math.floor(data.batchCount(core.config.batchSize, true) / perStep));
  const totalSteps = plannedSteps(core, options, stepsPerEpoch);
  const backend = await trainer.ready();
  const initialStep = core.globalStep;
  for (const cb of callbacks) await cb.onTrainBegin?.({ totalSteps, stepsPerEpoch, backend, initialStep, trainer });
  const metrics: S[] = [];
  let sums: Record<string, number> = {};
  let count = 0;
  let stopReason: TrainHistory['stopReason'] = 'completed';
  for (let done = 0; done < totalSteps; done++) {
    if (options.signal?.aborted) {
      stopReason = 'aborted';
      break;
    }
    const batches: Batch[] = [];
    let m: S;
    try {
      for (let i = 0; i < perStep; i++) {
        const { batch, newEpoch } = core.cursor.next(data);
        batches.push(batch);
        if (newEpoch) for (const cb of callbacks) await cb.onEpochBegin?.(core.cursor.epoch);
      }
      m = (await core.step(batches)) as S;
    } finally {
      for (const b of batches) {
        b.images.dispose();
        b.labels?.dispose();
      }
    }
    metrics.push(m);
    for (const [k, v] of Object.entries(m)) if (k !== 'step' && k !== 'epoch' && v !== undefined) sums[k] = (sums[k] ?? 0) + v;
    count++;
    for (const cb of callbacks) await cb.onStepEnd?.(m);
    if (core.cursor.epochDone) {
      const mean = Object.fromEntries(Object.entries(sums).map(([k, v]) => [k, v / count])) as Omit<S, 'step' | 'epoch'>;
      for (const cb of callbacks) await cb.onEpochEnd?.(core.cursor.epoch, mean);
      sums = {};
      count = 0;
    }
  }
  const history: TrainHistory<S> = { steps: metrics.length, globalStep: core.globalStep, stopReason, metrics, backend };
  for (const cb of callbacks) await cb.onTrainEnd?.(history);
  return history;
}
