export {
  Trainer,
  type TrainerOptions,
  type TrainerOptimizers,
  type FitOptions,
  type ResumeOptions,
  type LearningRateSchedules,
} from './trainer.js';
export type { StepMetrics, Batch, TrainingData, TrainerCallback, TrainBeginInfo, TrainHistory } from './types.js';
export { ExponentialMovingAverage, recalibrateBatchNorm, type EmaOptions, type BatchNormRecalibration } from './ema.js';
export { linearDecaySchedule, cosineDecaySchedule, type LearningRateSchedule } from './schedules.js';
export { clipByGlobalNorm } from './clipping.js';
export { adam, FusedAdamOptimizer } from './optimizers/adam.js';
export {
  CHECKPOINT_FORMAT_VERSION,
  type TrainerCheckpoint,
  type CheckpointState,
  type CheckpointArray,
  type CheckpointStore,
  type ComponentConfig,
  type OptimizerRecord,
} from './checkpoint-types.js';
export { registerCheckpointStore, resolveCheckpointStore } from './checkpoint-store.js';
export { sampleGridCallback, type SampleGridCallbackOptions } from './callbacks.js';
