import type { tfl } from '../tf.js';
import { Registry } from '../registry.js';

/** A JSON value stored in checkpoints. */
export type Json = number | string | boolean | null | readonly Json[] | { readonly [key: string]: Json };

/** What a checkpoint stores to rebuild a model: its kind's settings and its LayersModel networks by name. */
export interface ModelDescription {
  /** Settings of the wrapper (e.g. `{ numClasses: 10, auxiliaryClassifier: true }`). */
  readonly config: { readonly [key: string]: Json };
  /** The model's networks by name; their topologies are saved and rebuilt with fresh weights. */
  readonly networks: Readonly<Record<string, tfl.LayersModel>>;
}

/**
 * A kind of model that `Trainer.resume` can rebuild without being given the model: built-ins are
 * `'layers'` (mlpGan, dcgan, ganFromLayers) and `'conditional'`; register your own with {@link registerModelKind}.
 */
export interface ModelKind<M = unknown> {
  /** The model's description when `model` is of this kind; undefined otherwise. */
  describe(model: unknown): ModelDescription | undefined;
  /** Wraps networks rebuilt from the saved topologies (fresh weights; the Trainer loads the saved ones). */
  restore(config: { readonly [key: string]: Json }, networks: Readonly<Record<string, tfl.LayersModel>>): M;
}

const KINDS = new Registry<ModelKind>('model kind', 'model kinds', 'model', 'registerModelKind');

/** Registers a model kind by name, so checkpoints of such models resume without `options.model` (built-ins register themselves). */
export function registerModelKind(name: string, kind: ModelKind): void {
  KINDS.register(name, kind);
}

/** The registered kind named `name` (InvalidArgumentError listing the known ones otherwise). */
export function modelKind(name: string): ModelKind {
  return KINDS.get(name);
}

/** The kind name and description of `model`, or undefined for a model no registered kind describes. */
export function describeModel(model: unknown): ({ readonly kind: string } & ModelDescription) | undefined {
  for (const name of KINDS.names().reverse()) {
    const d = KINDS.get(name).describe(model);
    if (d !== undefined) return { kind: name, ...d };
  }
  return undefined;
}
