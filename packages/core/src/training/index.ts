export { Trainer, type TrainerOptions, type TrainerOptimizers, type FitOptions } from './trainer.js';
export type { StepMetrics, Batch, TrainingData, TrainerCallback, TrainBeginInfo, TrainHistory } from './types.js';
