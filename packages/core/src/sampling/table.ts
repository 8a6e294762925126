// The registries themselves, apart from registry.ts so that built-ins can register while registry.ts loads them all.
import { Registry } from '../registry.js';
import type { Sampler } from './sampler.js';

/** Makes a sampler of `latentDim` from its stored options and seed. */
export type SamplerFactory = (latentDim: number, config: Readonly<Record<string, number>>, seed: number) => Sampler;

export const SAMPLERS = new Registry<SamplerFactory>('sampler', 'samplers', 'sampler', 'registerSampler');

/** Registers a latent sampler by name, so `Trainer.resume` rebuilds it from a checkpoint (built-ins register themselves). */
export function registerSampler(name: string, factory: SamplerFactory): void {
  SAMPLERS.register(name, factory);
}
