import type { GanModelSpec } from '../models/restore.js';

/** Format version of trainer checkpoints; readers reject other versions. */
export const CHECKPOINT_FORMAT_VERSION = 1;

/** One saved array: a tensor's values read back from the device. */
export interface CheckpointArray {
  /** Stable name, e.g. `generator/3` or `optimizer/discriminator/slot/0`. */
  readonly name: string;
  /** `'float32'` or `'int32'`. */
  readonly dtype: 'float32' | 'int32';
  /** Tensor shape. */
  readonly shape: readonly number[];
  /** The values. */
  readonly data: Float32Array | Int32Array;
}

/** A named built-in component and its options (losses, regularizers, samplers). */
export interface ComponentConfig {
  readonly name: string;
  readonly config: Readonly<Record<string, number>>;
}

/** An optimizer's class, hyper-parameters and state layout. */
export interface OptimizerRecord {
  /** tfjs class name, e.g. `'Adam'`. */
  readonly className: string;
  /** `optimizer.getConfig()`. */
  readonly config: Record<string, unknown>;
  /** Steps applied. */
  readonly iterations: number;
  /** Number of slot arrays saved. */
  readonly slots: number;
  /** Names of the extra state variables saved (e.g. `accBeta1`). */
  readonly extras: readonly string[];
}

/** The JSON part of a checkpoint: everything but the arrays. */
export interface CheckpointState {
  readonly globalStep: number;
  readonly epoch: number;
  /** Position in the current epoch's order; the order itself is the array `data/order`. */
  readonly epochPosition: number;
  /** Size of the dataset the order was drawn for, or null before the first step. */
  readonly dataSize: number | null;
  /** States of the trainer's own, the data-order and the sampler's random streams. */
  readonly rng: { readonly trainer: number; readonly data: number; readonly sampler: number };
  readonly config: {
    readonly batchSize: number;
    readonly seed: number;
    readonly discriminatorSteps: number;
    readonly gradientClipNorm: number | null;
    readonly auxiliaryClassWeight: number;
    readonly ema: { readonly decay: number; readonly startStep: number } | null;
    readonly divergenceGuard: { readonly every: number } | null;
    readonly instanceNoise: { readonly stddev: number; readonly annealSteps: number } | null;
    readonly loss: ComponentConfig;
    readonly regularizers: readonly ComponentConfig[];
    readonly sampler: ComponentConfig & { readonly latentDim: number };
  };
  readonly model: {
    /** How to rebuild the GanModel wrapper, or null for a custom model (pass it to `resume`). */
    readonly spec: GanModelSpec | null;
    /** `generator.toJSON(null, false)` and the same for D; null for networks that are not LayersModels (e.g. `ganFromFunctions`). */
    readonly generator: unknown;
    readonly discriminator: unknown;
    readonly latentDim: number;
    readonly imageShape: readonly number[];
    readonly numClasses: number | null;
  };
  readonly optimizers: { readonly generator: OptimizerRecord; readonly discriminator: OptimizerRecord };
}

/** A whole training state in memory: what `Trainer.save` writes and `Trainer.resume` reads. */
export interface TrainerCheckpoint {
  readonly formatVersion: number;
  readonly state: CheckpointState;
  readonly arrays: readonly CheckpointArray[];
}

/** Where checkpoints are written and read: the Node filesystem store, or your own (e.g. IndexedDB). */
export interface CheckpointStore {
  /** Writes `checkpoint` at `location`, atomically: a reader sees the old or the new checkpoint. */
  write(location: string, checkpoint: TrainerCheckpoint): Promise<void>;
  /** Reads and validates the checkpoint at `location`; throws `ModelFormatError` for a bad one. */
  read(location: string): Promise<TrainerCheckpoint>;
}
