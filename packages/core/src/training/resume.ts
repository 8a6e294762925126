import { AigcError, InvalidArgumentError, ModelFormatError } from '../errors.js';
import { defaultBackend, useBackend } from '../backends/registry.js';
import type { GanModel, ImageGenerator } from '../models/types.js';
import type { TrainerConfig } from './config.js';
import { restoreModel } from '../models/restore.js';
import { checkModelMatches } from './capture.js';
import type { TrainerCheckpoint } from './checkpoint-types.js';
import { optimizerFromRecord } from './checkpoint.js';
import { objectiveKind } from './objectives.js';
import type { ResumeOptions, TrainerOptions } from './options.js';
import { checkedState } from './state-check.js';
import type { Trainer } from './trainer.js';
import './gan/objective.js';

/** What `restoreTrainer` builds with: the Trainer constructor, passed in to keep imports one way. */
type Make<M extends ImageGenerator> = (model: M, options: TrainerOptions) => Trainer<M>;

/** Turns a failure caused by the checkpoint's own content into a ModelFormatError that names it. */
function fromCheckpoint(where: string, cause: unknown): never {
  if (AigcError.isInstance(cause) && !InvalidArgumentError.isInstance(cause)) throw cause;
  const message = (cause as Error)?.message ?? String(cause);
  throw new ModelFormatError(
    InvalidArgumentError.isInstance(cause)
      ? `${where} names settings this @aigc/core cannot use: ${message}`
      : `${where}'s state is malformed (${message}); it is corrupted or was not written by Trainer.save. Resume from an older checkpoint.`,
    { cause },
  );
}

/** The stored EMA settings plus the caller's batch-norm recalibration (its model defaulting to the resumed one). */
function emaOnResume(stored: TrainerConfig['ema'] | undefined, ema: ResumeOptions['ema'], model: ImageGenerator, where: string): TrainerOptions['ema'] {
  const batchNorm = ema?.batchNorm;
  if (batchNorm === undefined) return stored ?? false;
  if (!stored) throw new InvalidArgumentError('ema.batchNorm', `${where} was saved without an EMA, so there is nothing to recalibrate; drop ema.batchNorm, or train with ema on.`);
  return { ...stored, batchNorm: { ...batchNorm, model: batchNorm.model ?? (model as GanModel) } };
}

/**
 * Rebuilds a trainer from a checkpoint: the whole state is checked first; then the model (unless
 * given), the optimizers and the objective are rebuilt from the stored config, and the state is loaded.
 */
export async function restoreTrainer<M extends ImageGenerator>(make: Make<M>, checkpoint: TrainerCheckpoint, options: ResumeOptions<M>, where: string): Promise<Trainer<M>> {
  const s = checkedState(checkpoint, where);
  const c = s.config;
  const backend = options.backend ?? defaultBackend();
  await useBackend(backend, options.importModule === undefined ? {} : { importModule: options.importModule });
  let model: M | undefined = options.model;
  if (model !== undefined) checkModelMatches(s.model, model, where);
  let owned = false;
  let trainer: Trainer<M> | undefined;
  try {
    let built: TrainerOptions;
    try {
      if (model === undefined) {
        if (s.model.kind === null) {
          throw new InvalidArgumentError('model', `${where} holds a custom GanModel (or another model of no registered kind); build it again and pass it as options.model.`);
        }
        // Each network may allocate no more weight values than the checkpoint holds for it.
        const budgets = Object.fromEntries(
          Object.keys(s.model.networks).map((name) => [name, checkpoint.arrays.filter((a) => new RegExp(`^${name}/\\d+$`).test(a.name)).reduce((n, a) => n + a.data.length, 0)]),
        );
        model = (await restoreModel(s.model.kind, s.model.config, s.model.networks, budgets)) as M;
        owned = true;
        checkModelMatches(s.model, model, where);
      }
      const optimizers = Object.fromEntries(
        Object.entries(s.optimizers).map(([name, record]) => [name, (options.optimizers as Record<string, unknown> | undefined)?.[name] ?? optimizerFromRecord(record)]),
      );
      const objectiveOptions = options.objective ? {} : objectiveKind(c.objective.name).optionsFromConfig(c.objective.config, options, c.seed);
      built = {
        ...objectiveOptions,
        ...(options.objective ? { objective: options.objective } : {}),
        optimizers,
        backend,
        batchSize: c.batchSize,
        seed: c.seed,
        ema: emaOnResume(c.ema, options.ema, model, where),
        divergenceGuard: c.divergenceGuard ?? false,
        ...(options.learningRateSchedules ? { learningRateSchedules: options.learningRateSchedules } : {}),
        ...(options.importModule ? { importModule: options.importModule } : {}),
      };
      trainer = make(model, built);
    } catch (cause) {
      // The caller's own options, not the checkpoint's content: their errors stay as they are.
      if (AigcError.isInstance(cause) && ['model', 'ema.batchNorm'].includes((cause as InvalidArgumentError).argument)) throw cause;
      fromCheckpoint(where, cause);
    }
    await trainer.loadFrom(checkpoint, where).catch((cause: unknown) => (AigcError.isInstance(cause) ? Promise.reject(cause) : fromCheckpoint(where, cause)));
    return trainer;
  } catch (error) {
    trainer?.dispose();
    if (owned) model?.dispose();
    throw error;
  }
}
