import type { tf } from '../tf.js';

/** Everything an augmentation may read when it runs inside a training step. */
export interface AugmentContext {
  /** Seed for this call's random draws, taken from the trainer's checkpointed stream. */
  readonly seed: number;
  /** Global step being trained (1-based). */
  readonly step: number;
  /** Whether the images are real (from the data) or generated; differentiable augmentations treat both alike. */
  readonly source: 'real' | 'fake';
}

/** A JSON value stored in checkpoints (augmentation settings and state). */
export type AugmentJson = number | string | boolean | null | readonly AugmentJson[] | { readonly [key: string]: AugmentJson };

/**
 * A batch augmentation the Trainer applies inside its step.
 * - `kind: 'data'`: applied to real batches only, before D sees them (flip, rotation, crop, ...).
 * - `kind: 'differentiable'`: applied to every image D sees, real and generated, in D's and in G's
 *   update, with gradients flowing through it to G (DiffAugment, ADA).
 */
export interface Augmentation {
  /** Registry name, e.g. `'diff-augment'`, `'adaptive'`, `'data'`. */
  readonly name: string;
  /** Where the Trainer applies it; see the interface comment. */
  readonly kind: 'data' | 'differentiable';
  /** Settings that rebuild it through the augmentation registry on resume. */
  readonly config: { readonly [key: string]: AugmentJson };
  /** Augments `[n, h, w, c]` images in [-1, 1]; pure tensor ops, deterministic for a given `ctx.seed`. Called inside `tf.tidy` (and inside gradients for `'differentiable'`). */
  apply(images: tf.Tensor4D, ctx: AugmentContext): tf.Tensor4D;
  /**
   * Called once after each step with the mean of sign(D(real logits)) over that step's real images
   * (ADA's overfitting signal r_t) and how many images it covers. Default: nothing.
   */
  observe?(realSignMean: number, count: number): void;
  /** Numbers to log with the step metrics, e.g. `{ augmentP: 0.12 }`. */
  metrics?(): { readonly [key: string]: number };
  /** State kept in checkpoints (ADA's p and its accumulators). */
  getState?(): AugmentJson;
  /** Restores {@link Augmentation.getState}'s value. */
  setState?(state: AugmentJson): void;
}
