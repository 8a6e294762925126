export type { LossFn } from './types.js';
export { sigmoidCrossEntropy, crossEntropyDiscriminatorLoss } from './cross-entropy.js';
export { minimaxLoss } from './minimax.js';
export { nonSaturatingLoss } from './non-saturating.js';
