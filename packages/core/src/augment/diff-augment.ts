import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Draws } from './draws.js';
import { checkImages, inRange } from './check.js';
import { addPerImage, scaleAroundChannelMean, scaleAroundImageMean } from './color.js';
import { applyCutout, type CutoutBox } from './cutout.js';
import { planAffine, samplePlan } from './sampler.js';
import { registerAugmentation } from './registry.js';
import type { AugmentContext, Augmentation, AugmentJson } from './types.js';

/** A DiffAugment policy: `'color'` (brightness, saturation, contrast), `'translation'`, `'cutout'`. */
export type DiffAugmentPolicy = 'color' | 'translation' | 'cutout';

/** Options of {@link diffAugment}; the defaults are the paper's. */
export interface DiffAugmentOptions {
  /** Largest shift as a fraction of the image side, rounded to whole pixels. Default 1/8. */
  readonly translation?: number;
  /** Cutout box side as a fraction of the image side. Default 1/2. */
  readonly cutout?: number;
}

const POLICIES: readonly DiffAugmentPolicy[] = ['color', 'translation', 'cutout'];

/**
 * DiffAugment (Zhao et al. 2020), following the reference `DiffAugment_pytorch.py` on [-1, 1]
 * images: `'color'` adds U(-0.5, 0.5), scales around the per-pixel channel mean by U(0, 2) and
 * around the image mean by U(0.5, 1.5); `'translation'` shifts by whole pixels up to 1/8 of the
 * side with zero padding; `'cutout'` zeros a box of half the side. Kind `'differentiable'`: the
 * Trainer applies it to every image D sees, real and generated, with gradients flowing to G.
 */
export function diffAugment(policy: readonly DiffAugmentPolicy[] = ['color', 'translation', 'cutout'], options: DiffAugmentOptions = {}): Augmentation {
  if (!Array.isArray(policy) || policy.length === 0 || policy.some((p) => !POLICIES.includes(p))) {
    throw new InvalidArgumentError('policy', `DiffAugment policies are 'color', 'translation' and 'cutout', got ${JSON.stringify(policy)}; e.g. diffAugment(['color', 'translation', 'cutout']).`);
  }
  const translation = inRange('translation', options.translation ?? 0.125, 0, 1, 'give a fraction of the image side, e.g. 0.125');
  const cutout = inRange('cutout', options.cutout ?? 0.5, 0, 1, 'give a fraction of the image side, e.g. 0.5');
  const config: { [key: string]: AugmentJson } = { policy: [...policy], translation, cutout };
  return {
    name: 'diff-augment',
    kind: 'differentiable',
    config,
    apply(images: tf.Tensor4D, ctx: AugmentContext): tf.Tensor4D {
      const [n, h, w] = checkImages(images, 'diffAugment');
      const d = new Draws(ctx.seed);
      const each = (f: () => number) => Float32Array.from({ length: n }, f);
      return tf.tidy(() => {
        let x = images;
        for (const p of policy) {
          if (p === 'color') {
            x = addPerImage(x, each(() => d.uniform(0, 1) - 0.5));
            x = scaleAroundChannelMean(x, each(() => d.uniform(0, 1) * 2));
            x = scaleAroundImageMean(x, each(() => d.uniform(0, 1) + 0.5));
          } else if (p === 'translation') {
            // As the reference: out[i, j] = x[i + ty, j + tx], ty, tx whole pixels in [-shift, shift], zeros outside.
            const sy = Math.floor(h * translation + 0.5);
            const sx = Math.floor(w * translation + 0.5);
            const inverse = new Float64Array(n * 6);
            for (let i = 0; i < n; i++) inverse.set([1, 0, 0, 0, 1, 0], i * 6);
            for (let i = 0; i < n; i++) inverse[i * 6 + 5] = d.int(-sy, sy);
            for (let i = 0; i < n; i++) inverse[i * 6 + 2] = d.int(-sx, sx);
            x = samplePlan(x, planAffine(n, h, w, inverse, 'zeros'));
          } else {
            const ch = Math.floor(h * cutout + 0.5);
            const cw = Math.floor(w * cutout + 0.5);
            // As the reference: offsets in [0, size + (1 - cut % 2)), box starts at offset - cut // 2.
            const oy = each(() => d.int(0, h - (ch % 2)));
            const ox = each(() => d.int(0, w - (cw % 2)));
            const boxes: CutoutBox[] = [];
            for (let i = 0; i < n; i++) {
              const y0 = (oy[i] as number) - Math.floor(ch / 2);
              const x0 = (ox[i] as number) - Math.floor(cw / 2);
              boxes.push({ y0, y1: y0 + ch, x0, x1: x0 + cw });
            }
            x = applyCutout(x, boxes);
          }
        }
        return x === images ? tf.clone(images) : x;
      });
    },
  };
}

registerAugmentation('diff-augment', (c) => diffAugment((c.policy ?? undefined) as DiffAugmentPolicy[] | undefined, c as DiffAugmentOptions));
