import { tfl } from '../tf.js';

/** Kernel initializer factory: seeded (a different stream per call) when `seed` is set, else tfjs' unseeded default. */
export type InitializerFactory = () => ReturnType<typeof tfl.initializers.glorotUniform> | 'glorotUniform';

/** Glorot-uniform initializers, seeded `seed * 1000 + i` for the i-th call when `seed` is given. */
export function glorotInitializers(seed: number | undefined): InitializerFactory {
  let index = 0;
  return () => (seed === undefined ? 'glorotUniform' : tfl.initializers.glorotUniform({ seed: seed * 1000 + index++ }));
}

/** N(0, stddev²) initializers as in the DCGAN paper (stddev 0.02), seeded per call when `seed` is given. */
export function normalInitializers(seed: number | undefined, stddev = 0.02): () => ReturnType<typeof tfl.initializers.randomNormal> {
  let index = 0;
  return () => tfl.initializers.randomNormal({ mean: 0, stddev, ...(seed === undefined ? {} : { seed: seed * 1000 + index++ }) });
}
