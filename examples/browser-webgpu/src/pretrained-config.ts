/** Architecture and training settings of the generator shipped in `public/pretrained/`. */
export const PRETRAINED = {
  /** Latent width: small, so every coordinate gets its own slider. */
  latentDim: 16,
  /** Hidden widths of G: about 540,000 weights (2.1 MB), a small download that samples in well under a millisecond. */
  generatorUnits: [256, 512],
  /** Hidden widths of D. */
  discriminatorUnits: [256],
  /** Batch size used by scripts/pretrain.ts. */
  batchSize: 64,
  /** Seed of weights, data order and latents. */
  seed: 1,
  /** URL of model.json relative to the page. */
  url: 'pretrained/model.json',
} as const;
