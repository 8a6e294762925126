export {
  Trainer,
  type MetricsOf,
  type TrainerOptions,
  type TrainerOptimizers,
  type FitOptions,
  type ResumeOptions,
  type LearningRateSchedules,
} from './trainer.js';
export type { TrainerConfig } from './config.js';
export type { ObjectiveNetwork, StepContext, StepTensors, TrainingObjective } from './objective.js';
export { registerObjective, type ObjectiveKind } from './objectives.js';
export { GanObjective, ganObjective } from './gan/objective.js';
export type { GanObjectiveOptions, GanSettings } from './gan/options.js';
export type { StepMetrics, TrainingMetrics, Batch, TrainingData, TrainerCallback, TrainBeginInfo, TrainHistory } from './types.js';
export { ExponentialMovingAverage, recalibrateBatchNorm, type EmaOptions, type BatchNormRecalibration } from './ema.js';
export { linearDecaySchedule, cosineDecaySchedule, type LearningRateSchedule } from './schedules.js';
export { clipByGlobalNorm } from './clipping.js';
export { adam, FusedAdamOptimizer } from './optimizers/adam.js';
export {
  CHECKPOINT_FORMAT_VERSION,
  READABLE_CHECKPOINT_VERSIONS,
  type TrainerCheckpoint,
  type CheckpointState,
  type CheckpointStateV1,
  type CheckpointArray,
  type CheckpointStore,
  type ComponentConfig,
  type OptimizerRecord,
} from './checkpoint-types.js';
export { registerCheckpointStore } from './checkpoint-store.js';
export { sampleGridCallback, type SampleGridCallbackOptions } from './callbacks.js';
