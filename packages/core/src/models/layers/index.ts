export { SpectralNormalization, spectralNormalization, type SpectralNormalizationArgs } from './spectral-norm.js';
export { MinibatchStdDev, minibatchStdDev, type MinibatchStdDevArgs } from './minibatch-std.js';
export { registerAigcLayers } from './register.js';
