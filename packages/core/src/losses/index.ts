export type { LossFn } from './types.js';
export { sigmoidCrossEntropy, crossEntropyDiscriminatorLoss, type CrossEntropyLossOptions } from './cross-entropy.js';
export { minimaxLoss } from './minimax.js';
export { nonSaturatingLoss } from './non-saturating.js';
export { wassersteinLoss, type WassersteinLossOptions } from './wasserstein.js';
export { leastSquaresLoss } from './least-squares.js';
export { hingeLoss } from './hinge.js';
export { relativisticAverageLoss } from './relativistic.js';
export { auxiliaryClassLoss } from './class-loss.js';
export type { DiscriminatorRegularizer, RegularizerContext } from './regularizer.js';
export { gradientPenalty, type GradientPenaltyOptions } from './gradient-penalty.js';
export { r1Penalty, type R1PenaltyOptions } from './r1-penalty.js';
export { instanceNoise, type InstanceNoise, type InstanceNoiseOptions } from './instance-noise.js';
export {
  lossFromConfig,
  regularizerFromConfig,
  registerLoss,
  registerRegularizer,
  type LossConfig,
  type LossFactory,
  type RegularizerFactory,
} from './registry.js';
export { gaussianKl, reconstructionNll, klWeight, DEFAULT_GAUSSIAN_STD, type VaeLikelihood } from './elbo.js';
