import type { GanModelSpec } from '../models/restore.js';
import type { Json } from '../models/kinds.js';
import type { ImageGenerator } from '../models/types.js';
import type { TrainerConfig } from './config.js';

/** Format version of the checkpoints this version writes (2: generic over the objective's networks). */
export const CHECKPOINT_FORMAT_VERSION = 2;

/** Format versions this version reads: 1 (@aigc/core 0.1.0, converted on load) and 2. */
export const READABLE_CHECKPOINT_VERSIONS: readonly number[] = [1, 2];

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

/** The JSON part of a checkpoint (format version 2): everything but the arrays. */
export interface CheckpointState {
  readonly globalStep: number;
  readonly epoch: number;
  /** Position in the current epoch's order; the order itself is the array `data/order`. */
  readonly epochPosition: number;
  /** Size of the dataset the order was drawn for, or null before the first step. */
  readonly dataSize: number | null;
  /** States of the trainer's own and the data-order random streams. */
  readonly rng: { readonly trainer: number; readonly data: number };
  /** The Trainer's whole checked config, the objective's name and settings included. */
  readonly config: TrainerConfig;
  /** The objective's own state (e.g. the GAN's sampler stream and augmentation state). */
  readonly objectiveState: Json;
  readonly model: {
    /** The registered model kind that rebuilds the model (see `registerModelKind`), or null for a custom model (pass it to `resume`). */
    readonly kind: string | null;
    /** The kind's settings. */
    readonly config: { readonly [key: string]: Json };
    /** Topology JSON (`toJSON(null, false)`) of each of the model's LayersModel networks, by name. */
    readonly networks: Readonly<Record<string, unknown>>;
    readonly latentDim: number;
    readonly imageShape: readonly number[];
    readonly numClasses: number | null;
  };
  /** Each network's optimizer, by network name; its arrays are `optimizer/<network>/...`. */
  readonly optimizers: Readonly<Record<string, OptimizerRecord>>;
}

/** The JSON part of a format-version-1 checkpoint (@aigc/core 0.1.0: GAN only), read and converted on resume. */
export interface CheckpointStateV1 {
  readonly globalStep: number;
  readonly epoch: number;
  readonly epochPosition: number;
  readonly dataSize: number | null;
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
    readonly spec: GanModelSpec | null;
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
  /** {@link CHECKPOINT_FORMAT_VERSION} when written by this version; 1 for checkpoints of @aigc/core 0.1.0. */
  readonly formatVersion: number;
  /** The JSON state ({@link CheckpointStateV1} when `formatVersion` is 1). */
  readonly state: CheckpointState;
  readonly arrays: readonly CheckpointArray[];
}

/** Where checkpoints are written and read: the Node filesystem store, or your own (e.g. IndexedDB). */
export interface CheckpointStore {
  /** Writes `checkpoint` at `location`, atomically: a reader sees the old or the new checkpoint. */
  write(location: string, checkpoint: TrainerCheckpoint): Promise<void>;
  /** Reads and validates the checkpoint at `location`; throws `ModelFormatError` for a bad one. */
  read(location: string): Promise<TrainerCheckpoint>;
  /**
   * Optional: saves `generator` alone at `location` so it can be loaded for sampling (the file store
   * writes a tfjs layers-model folder, like `saveGenerator`). {@link Trainer.saveGenerator} needs it.
   */
  saveGenerator?(location: string, generator: ImageGenerator): Promise<void>;
}
