/** Architecture and training settings of the generator shipped in `public/pretrained/`. */
export const PRETRAINED = {
  /** Latent width: small, so every coordinate gets its own slider. */
  latentDim: 16,
  /** Fashion-MNIST's classes, in label order; the generator is conditioned on one of them. */
  classNames: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
  /** Filters of G's last hidden layer (half the standard DCGAN's 64): about 136,000 weights, 0.27 MB as float16. */
  generatorFilters: 32,
  /** Filters of D's first convolution (D is not shipped; it only trains G). */
  discriminatorFilters: 64,
  /** Batch size used by scripts/pretrain.ts. */
  batchSize: 64,
  /** Training steps of the shipped generator (scripts/pretrain.ts's default). */
  steps: 2000,
  /** Seed of weights, data order and latents. */
  seed: 1,
  /** URL of model.json relative to the page. */
  url: 'pretrained/model.json',
} as const;
