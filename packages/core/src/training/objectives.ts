import { InvalidArgumentError } from '../errors.js';
import { Registry } from '../registry.js';
import type { Json } from '../models/kinds.js';
import type { TrainingObjective } from './objective.js';
import type { ResumeOptions, TrainerOptions } from './trainer.js';
import type { GanObjectiveOptions } from './gan/options.js';
import { checkKeys } from '../options.js';

/**
 * A registered family of objectives: which models it trains by default, how it is made from the
 * Trainer's options, and how its stored config turns back into options on resume.
 */
export interface ObjectiveKind {
  /** True when `new Trainer(model)` should train `model` with this objective (GAN: it has `discriminate`). */
  matches(model: unknown): boolean;
  /** Makes the objective for `model` from the Trainer's options; `seed` is the Trainer's seed. */
  create(model: unknown, options: TrainerOptions, seed: number): TrainingObjective;
  /** Options equivalent to the stored `config`, with components rebuilt by name; `given` (the resume options) take precedence. */
  optionsFromConfig(config: { readonly [key: string]: Json }, given: ResumeOptions, seed: number): TrainerOptions;
  /**
   * The Trainer option keys this family reads besides the generic ones (GAN: `loss`, `optimizers`, ...).
   * When given, `new Trainer` rejects any other key with an UnknownOptionError; default: no check.
   */
  readonly optionKeys?: readonly string[];
}

/** The Trainer options every objective shares. */
const GENERIC_KEYS = {
  backend: true,
  batchSize: true,
  seed: true,
  importModule: true,
  learningRateSchedules: true,
  ema: true,
  divergenceGuard: true,
  objective: true,
} as const satisfies { readonly [K in Exclude<keyof TrainerOptions, keyof GanObjectiveOptions>]-?: true };

const OBJECTIVES = new Registry<ObjectiveKind>('objective', 'objectives', 'objective', 'registerObjective');

/** Registers an objective family by name; a model it `matches` then trains with it, and its checkpoints resume by name. */
export function registerObjective(name: string, kind: ObjectiveKind): void {
  OBJECTIVES.register(name, kind);
}

/** The registered objective family named `name`. */
export function objectiveKind(name: string): ObjectiveKind {
  return OBJECTIVES.get(name);
}

/** The objective `new Trainer(model, options)` trains with: `options.objective`, else the latest registered family that matches the model. */
export function objectiveFor(model: unknown, options: TrainerOptions, seed: number): TrainingObjective {
  if (options.objective !== undefined) {
    const o = options.objective;
    if (typeof o?.step !== 'function' || !Array.isArray(o.networks) || !Number.isInteger(o.batchesPerStep) || o.batchesPerStep < 1) {
      throw new InvalidArgumentError('objective', 'objective must be a TrainingObjective: { name, networks, batchesPerStep, step(batches, ctx) }.');
    }
    // A custom objective owns its settings; `optimizers` is accepted because Trainer.resume passes the restored ones.
    checkTrainerKeys(options, ['optimizers']);
    return o;
  }
  const kind = matchingKind(model);
  if (kind === undefined) {
    throw new InvalidArgumentError(
      'model',
      `No training objective fits this model (known: ${OBJECTIVES.names().join(', ')}). Pass a GanModel (for example mlpGan() or ganFromLayers(G, D)), ` +
        'a model of a registered family, or your own objective as the objective option.',
    );
  }
  // The family checks its own options first (its errors say more, e.g. "loss is a GAN option" for a VAE).
  const objective = kind.create(model, options, seed);
  if (kind.optionKeys !== undefined) checkTrainerKeys(options, kind.optionKeys);
  return objective;
}

/** Rejects Trainer option keys other than the generic ones and `objectiveKeys`, naming the nearest valid key. */
function checkTrainerKeys(options: TrainerOptions, objectiveKeys: readonly string[]): void {
  checkKeys('Trainer', options, Object.fromEntries([...Object.keys(GENERIC_KEYS), ...objectiveKeys].map((k) => [k, true])) as never);
}

/** The latest registered family that matches `model`, if any. */
function matchingKind(model: unknown): ObjectiveKind | undefined {
  return OBJECTIVES.names().reverse().map((name) => OBJECTIVES.get(name)).find((kind) => kind.matches(model));
}
