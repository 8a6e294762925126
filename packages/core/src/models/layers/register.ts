import { registerMinibatchStdDev } from './minibatch-std.js';
import { registerSpectralNormalization } from './spectral-norm.js';

/** Registers aigc's custom layers (`SpectralNormalization`, `MinibatchStdDev`) with tfjs' serialization; the loaders call it, and it is idempotent. */
export function registerAigcLayers(): void {
  registerSpectralNormalization();
  registerMinibatchStdDev();
}
