import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Draws } from './draws.js';
import { checkImages, inRange } from './check.js';
import { applyCutout, type CutoutBox } from './cutout.js';
import { blendWithLuma, perImage } from './color.js';
import { isIdentity, planAffine, samplePlan, type AugmentPadding, type InverseAffine } from './sampler.js';
import { registerAugmentation } from './registry.js';
import type { AugmentContext, Augmentation, AugmentJson } from './types.js';

/**
 * Options of {@link dataAugmentation}; every op is off unless given. Colour factors follow
 * torchvision's `ColorJitter`: a value `v` draws a factor uniformly from `[max(0, 1 - v), 1 + v]`.
 */
export interface DataAugmentationOptions {
  /** Mirror left-right with probability 1/2. Default false. */
  readonly flip?: boolean;
  /** Rotate by a uniform angle in `[-rotate, rotate]` degrees (0..180). Default 0. */
  readonly rotate?: number;
  /** Zoom by a uniform factor in `[lo, hi]` (above 1 zooms in, cropping; below 1 zooms out). Default `[1, 1]`. */
  readonly scale?: readonly [number, number];
  /** Shift (random crop) by up to this fraction of the width and height, uniform per axis (0..1). Default 0. */
  readonly translate?: number;
  /** Brightness factor range (0..1), on intensities in [0, 1]. Default 0. */
  readonly brightness?: number;
  /** Contrast factor range (0..1), around the image's mean luma. Default 0. */
  readonly contrast?: number;
  /** Saturation factor range (0..1), blending with the luma; RGB only, a no-op on gray images. Default 0. */
  readonly saturation?: number;
  /** Erase a square box whose side is this fraction of the image side (0..1), set to 0 (mid-gray). Default 0. */
  readonly cutout?: number;
  /** What rotation, zoom-out and shifts read outside the image. Default `'reflect'`. */
  readonly padding?: AugmentPadding;
}

const PADDINGS: readonly AugmentPadding[] = ['zeros', 'reflect', 'edge'];

function settings(o: DataAugmentationOptions) {
  if (o === null || typeof o !== 'object') throw new InvalidArgumentError('options', 'dataAugmentation takes an options object such as { flip: true, rotate: 10 }.');
  const scale = o.scale ?? [1, 1];
  if (!Array.isArray(scale) || scale.length !== 2) throw new InvalidArgumentError('scale', `scale must be [low, high], got ${JSON.stringify(scale)}.`);
  const [lo, hi] = scale as readonly [number, number];
  inRange('scale[0]', lo, 0.1, 10, 'use a zoom range such as [0.9, 1.1]');
  inRange('scale[1]', hi, lo, 10, 'the high end must be at least the low end');
  const padding = o.padding ?? 'reflect';
  if (!PADDINGS.includes(padding)) throw new InvalidArgumentError('padding', `padding must be 'zeros', 'reflect' or 'edge', got ${String(padding)}.`);
  if (o.flip !== undefined && typeof o.flip !== 'boolean') throw new InvalidArgumentError('flip', `flip must be true or false, got ${String(o.flip)}.`);
  return {
    flip: o.flip ?? false,
    rotate: inRange('rotate', o.rotate ?? 0, 0, 180, 'give the largest angle in degrees, e.g. 10'),
    scale: [lo, hi] as const,
    translate: inRange('translate', o.translate ?? 0, 0, 1, 'give a fraction of the image size, e.g. 0.1'),
    brightness: inRange('brightness', o.brightness ?? 0, 0, 1, 'e.g. 0.2'),
    contrast: inRange('contrast', o.contrast ?? 0, 0, 1, 'e.g. 0.2'),
    saturation: inRange('saturation', o.saturation ?? 0, 0, 1, 'e.g. 0.2'),
    cutout: inRange('cutout', o.cutout ?? 0, 0, 1, 'give the box side as a fraction of the image side, e.g. 0.25'),
    padding,
  };
}

/** Factor drawn as torchvision's ColorJitter does. */
function jitter(d: Draws, v: number): number {
  return d.uniform(Math.max(0, 1 - v), 1 + v);
}

/** A random square box of side `size` (pixels) centred on a uniform pixel, clipped to the image. */
export function randomBox(d: Draws, h: number, w: number, sizeH: number, sizeW: number): CutoutBox {
  const cy = d.int(0, h - 1);
  const cx = d.int(0, w - 1);
  const y0 = cy - Math.floor(sizeH / 2);
  const x0 = cx - Math.floor(sizeW / 2);
  return { y0, y1: y0 + sizeH, x0, x1: x0 + sizeW };
}

/**
 * Data-side augmentation (kind `'data'`: the Trainer applies it to real batches only, before D):
 * flip, rotation, zoom, shift, brightness, contrast, saturation and cutout, each image with its own
 * draw from `ctx.seed`. Geometry is one bilinear resample per image (exact for flips, 90-degree
 * turns and whole-pixel shifts); colour results are clipped to [-1, 1] as torchvision clips to [0, 1].
 */
export function dataAugmentation(options: DataAugmentationOptions = {}): Augmentation {
  const s = settings(options);
  const config: { [key: string]: AugmentJson } = {
    flip: s.flip,
    rotate: s.rotate,
    scale: [s.scale[0], s.scale[1]],
    translate: s.translate,
    brightness: s.brightness,
    contrast: s.contrast,
    saturation: s.saturation,
    cutout: s.cutout,
    padding: s.padding,
  };
  const geometric = s.flip || s.rotate > 0 || s.scale[0] !== 1 || s.scale[1] !== 1 || s.translate > 0;
  return {
    name: 'data',
    kind: 'data',
    config,
    apply(images: tf.Tensor4D, ctx: AugmentContext): tf.Tensor4D {
      const [n, h, w, c] = checkImages(images, 'dataAugmentation');
      const d = new Draws(ctx.seed);
      return tf.tidy(() => {
        let x = images;
        if (geometric) {
          const inverse: InverseAffine = new Float64Array(n * 6);
          for (let i = 0; i < n; i++) {
            const f = s.flip && d.chance(0.5) ? -1 : 1;
            const theta = s.rotate > 0 ? (d.uniform(-s.rotate, s.rotate) * Math.PI) / 180 : 0;
            const z = s.scale[0] === s.scale[1] ? s.scale[0] : d.uniform(s.scale[0], s.scale[1]);
            const tx = s.translate > 0 ? d.uniform(-s.translate, s.translate) * w : 0;
            const ty = s.translate > 0 ? d.uniform(-s.translate, s.translate) * h : 0;
            // source = Flip · R(-theta) / z · (p - t)
            const cos = Math.cos(theta) / z;
            const sin = Math.sin(theta) / z;
            const a = f * cos, b = f * sin, cc = -sin, dd = cos;
            inverse.set([a, b, -(a * tx + b * ty), cc, dd, -(cc * tx + dd * ty)], i * 6);
          }
          if (!isIdentity(inverse)) x = samplePlan(x, planAffine(n, h, w, inverse, s.padding));
        }
        const factors = (v: number) => Float32Array.from({ length: n }, () => jitter(d, v));
        if (s.brightness > 0) x = tf.clipByValue(tf.sub(tf.mul(tf.add(x, 1), perImage(factors(s.brightness))), 1), -1, 1) as tf.Tensor4D;
        if (s.contrast > 0) {
          const luma = c === 3 ? tf.sum(tf.mul(x, tf.tensor1d([0.299, 0.587, 0.114])), 3, true) : tf.mean(x, 3, true);
          const mean = tf.mean(luma, [1, 2, 3], true);
          x = tf.clipByValue(tf.add(tf.mul(tf.sub(x, mean), perImage(factors(s.contrast))), mean), -1, 1) as tf.Tensor4D;
        }
        if (s.saturation > 0 && c === 3) x = tf.clipByValue(blendWithLuma(x, factors(s.saturation)), -1, 1);
        if (s.cutout > 0) {
          const sh = Math.round(s.cutout * h);
          const sw = Math.round(s.cutout * w);
          x = applyCutout(x, Array.from({ length: n }, () => randomBox(d, h, w, sh, sw)));
        }
        return x === images ? tf.clone(images) : x;
      });
    },
  };
}

registerAugmentation('data', (c) => dataAugmentation(c as DataAugmentationOptions));
