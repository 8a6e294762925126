import { tf } from '../tf.js';
import { adaptiveAugment } from './adaptive.js';
import { dataAugmentation } from './data-augmentation.js';
import { diffAugment } from './diff-augment.js';
import type { Augmentation } from './types.js';

/** The augmentations the backend parity tests compare, each with every op on. */
export function parityAugmentations(): Augmentation[] {
  return [
    dataAugmentation({ flip: true, rotate: 20, scale: [0.8, 1.2], translate: 0.15, brightness: 0.3, contrast: 0.3, saturation: 0.3, cutout: 0.3 }),
    diffAugment(['color', 'translation', 'cutout']),
    adaptiveAugment({ initialP: 0.8, ops: ['xflip', 'rotate90', 'translate', 'scale', 'rotate', 'aniso', 'xfrac', 'brightness', 'contrast', 'lumaflip', 'hue', 'saturation', 'cutout'] }),
  ];
}

/** Outputs and (for differentiable ones) input gradients of each augmentation on the current backend. */
export async function parityRun(): Promise<{ name: string; out: Float32Array; grad?: Float32Array }[]> {
  const x = tf.tensor4d(Array.from({ length: 6 * 12 * 12 * 3 }, (_, i) => 0.9 * Math.sin(i * 0.29 + 0.3)), [6, 12, 12, 3]);
  const r = tf.tensor4d(Array.from({ length: 6 * 12 * 12 * 3 }, (_, i) => Math.cos(i * 0.53)), [6, 12, 12, 3]);
  const results = [];
  for (const aug of parityAugmentations()) {
    const ctx = { seed: 12345, step: 3, source: 'real' as const };
    const y = aug.apply(x, ctx);
    const out = (await y.data()) as Float32Array;
    y.dispose();
    let grad: Float32Array | undefined;
    if (aug.kind === 'differentiable') {
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(aug.apply(t as tf.Tensor4D, ctx), r)))(x);
      grad = (await g.data()) as Float32Array;
      g.dispose();
    }
    results.push({ name: aug.name, out, ...(grad ? { grad } : {}) });
  }
  x.dispose();
  r.dispose();
  return results;
}
