import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Draws } from './draws.js';
import { checkImages, inRange } from './check.js';
import { colourTransform } from './color.js';
import { applyCutout, type CutoutBox } from './cutout.js';
import { randomBox } from './data-augmentation.js';
import { isIdentity, planAffine, samplePlan } from './sampler.js';
import { registerAugmentation } from './registry.js';
import type { AugmentContext, Augmentation, AugmentJson } from './types.js';

/**
 * ADA's augmentations (Karras et al. 2020, the 'bgc' pipeline plus cutout): geometric `xflip`,
 * `rotate90`, `translate` (whole pixels, up to 1/8), `scale` (isotropic, log-normal), `rotate`
 * (any angle), `aniso` (anisotropic scale), `xfrac` (fractional shift); colour `brightness`,
 * `contrast`, `lumaflip`, `hue`, `saturation` (the last three RGB only); `cutout` (half the side).
 */
export type AdaOp =
  | 'xflip' | 'rotate90' | 'translate' | 'scale' | 'rotate' | 'aniso' | 'xfrac'
  | 'brightness' | 'contrast' | 'lumaflip' | 'hue' | 'saturation' | 'cutout';

const GEOMETRIC: readonly AdaOp[] = ['xflip', 'rotate90', 'translate', 'scale', 'rotate', 'aniso', 'xfrac'];
const COLOUR: readonly AdaOp[] = ['brightness', 'contrast', 'lumaflip', 'hue', 'saturation'];
const ALL: readonly AdaOp[] = [...GEOMETRIC, ...COLOUR, 'cutout'];
/** The default ops: ADA's 'bgc' (every geometric and colour op, no cutout). */
export const ADA_DEFAULT_OPS: readonly AdaOp[] = [...GEOMETRIC, ...COLOUR];

/** Options of {@link adaptiveAugment}. */
export interface AdaptiveAugmentOptions {
  /** Target of r_t = E[sign(D(real))]: p rises above it, falls below it. Default 0.6 (the paper's). */
  readonly target?: number;
  /** Steps between adjustments of p. Default 4 (the paper's). */
  readonly interval?: number;
  /**
   * Images over which p can move from 0 to 1. The paper uses 500k for runs of millions of images;
   * the default 100,000 (about 1,600 steps at batch 64) suits the short runs aigc is used for.
   */
  readonly speed?: number;
  /** Upper bound of p. Default 1. */
  readonly maxP?: number;
  /** Starting p. Default 0. */
  readonly initialP?: number;
  /** Augmentations, each applied per image with probability p. Default {@link ADA_DEFAULT_OPS}. */
  readonly ops?: readonly AdaOp[];
}

type M3 = [number, number, number, number, number, number, number, number, number];
const mul3 = (a: M3, b: M3): M3 => {
  const r = new Array(9).fill(0) as M3;
  for (let i = 0; i < 3; i++) for (let j = 0; j < 3; j++) for (let k = 0; k < 3; k++) r[i * 3 + j] = (r[i * 3 + j] as number) + (a[i * 3 + k] as number) * (b[k * 3 + j] as number);
  return r;
};
const scale2 = (sx: number, sy: number): M3 => [sx, 0, 0, 0, sy, 0, 0, 0, 1];
const rot2 = (t: number): M3 => [Math.cos(t), -Math.sin(t), 0, Math.sin(t), Math.cos(t), 0, 0, 0, 1];
const shift2 = (tx: number, ty: number): M3 => [1, 0, tx, 0, 1, ty, 0, 0, 1];

type M4 = number[]; // 4x4 row-major
const eye4 = (): M4 => [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1];
const mul4 = (a: M4, b: M4): M4 => {
  const r = new Array(16).fill(0) as number[];
  for (let i = 0; i < 4; i++) for (let j = 0; j < 4; j++) for (let k = 0; k < 4; k++) r[i * 4 + j]! += a[i * 4 + k]! * b[k * 4 + j]!;
  return r;
};
const V = 1 / Math.sqrt(3); // the gray axis (1, 1, 1) / sqrt(3)
const outerV = (): M4 => [V * V, V * V, V * V, 0, V * V, V * V, V * V, 0, V * V, V * V, V * V, 0, 0, 0, 0, 0];
function rotateAroundGray(t: number): M4 {
  const c = Math.cos(t), s = Math.sin(t), k = 1 - c, v = V;
  return [
    v * v * k + c, v * v * k - v * s, v * v * k + v * s, 0,
    v * v * k + v * s, v * v * k + c, v * v * k - v * s, 0,
    v * v * k - v * s, v * v * k + v * s, v * v * k + c, 0,
    0, 0, 0, 1,
  ];
}

/**
 * ADA (Karras et al. 2020): a differentiable augmentation whose strength p follows D's
 * overfitting signal. Every `interval` steps, r_t (the mean of sign(D(real)) the Trainer passes to
 * `observe`) moves p by `sign(r_t - target) · images / speed`, clipped to [0, maxP]. Each op is
 * applied to each image with probability p (rotation as two halves, as in the paper). Metrics:
 * `augmentP`, `augmentRt`; p and the accumulators are checkpointed.
 */
export function adaptiveAugment(options: AdaptiveAugmentOptions = {}): Augmentation {
  const target = inRange('target', options.target ?? 0.6, 0, 1, 'the paper uses 0.6');
  const interval = options.interval ?? 4;
  if (!Number.isInteger(interval) || interval <= 0) throw new InvalidArgumentError('interval', `interval must be a positive integer, got ${String(interval)}.`);
  const speed = inRange('speed', options.speed ?? 100_000, 1, Number.MAX_SAFE_INTEGER, 'give the number of images for p to go from 0 to 1, e.g. 100000');
  const maxP = inRange('maxP', options.maxP ?? 1, 0, 1, 'e.g. 1');
  const initialP = inRange('initialP', options.initialP ?? 0, 0, maxP, 'it must lie in [0, maxP]');
  const ops = [...(options.ops ?? ADA_DEFAULT_OPS)];
  if (ops.length === 0 || ops.some((o) => !ALL.includes(o))) {
    throw new InvalidArgumentError('ops', `ADA ops are ${ALL.join(', ')}; got ${JSON.stringify(ops)}.`);
  }
  const has = new Set(ops);
  let p = initialP;
  let sum = 0;
  let count = 0;
  let steps = 0;
  let lastRt = 0;
  const config: { [key: string]: AugmentJson } = { target, interval, speed, maxP, initialP, ops };

  const apply = (images: tf.Tensor4D, ctx: AugmentContext): tf.Tensor4D => {
    const [n, h, w, c] = checkImages(images, 'adaptiveAugment');
    const d = new Draws(ctx.seed);
    const gate = (op: AdaOp, prob = p) => has.has(op) && d.chance(prob);
    const pRot = 1 - Math.sqrt(1 - p);
    const inverse = new Float64Array(n * 6);
    const colour = new Float32Array(n * (c === 3 ? 12 : 2));
    const boxes: (CutoutBox | undefined)[] = [];
    for (let i = 0; i < n; i++) {
      // Geometry: the inverse map (output -> source) in pixel units about the centre, as ADA builds G_inv.
      let g: M3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];
      if (gate('xflip')) g = mul3(g, scale2(-1, 1));
      if (gate('rotate90')) g = mul3(g, rot2((-Math.PI / 2) * d.int(1, 3)));
      if (gate('translate')) g = mul3(g, shift2(-Math.round(d.uniform(-0.125, 0.125) * w), -Math.round(d.uniform(-0.125, 0.125) * h)));
      if (gate('scale')) {
        const s = d.logNormal(0.2 * Math.LN2);
        g = mul3(g, scale2(1 / s, 1 / s));
      }
      if (gate('rotate', pRot)) g = mul3(g, rot2(-d.uniform(-Math.PI, Math.PI)));
      if (gate('aniso')) {
        const s = d.logNormal(0.2 * Math.LN2);
        g = mul3(g, scale2(1 / s, s));
      }
      if (gate('rotate', pRot)) g = mul3(g, rot2(-d.uniform(-Math.PI, Math.PI)));
      if (gate('xfrac')) g = mul3(g, shift2(-d.normal() * 0.125 * w, -d.normal() * 0.125 * h));
      inverse.set([g[0], g[1], g[2], g[3], g[4], g[5]], i * 6);
      // Colour: one affine map per image about 0 (mid-gray in [-1, 1]), as ADA composes C.
      let m = eye4();
      if (gate('brightness')) {
        const b = d.normal() * 0.2;
        m = mul4([1, 0, 0, b, 0, 1, 0, b, 0, 0, 1, b, 0, 0, 0, 1], m);
      }
      if (gate('contrast')) {
        const k = d.logNormal(0.5 * Math.LN2);
        m = mul4([k, 0, 0, 0, 0, k, 0, 0, 0, 0, k, 0, 0, 0, 0, 1], m);
      }
      if (c === 3) {
        if (gate('lumaflip')) {
          const o = outerV();
          m = mul4(eye4().map((v, j) => v - 2 * (o[j] as number)), m);
        }
        if (gate('hue')) m = mul4(rotateAroundGray(d.uniform(-Math.PI, Math.PI)), m);
        if (gate('saturation')) {
          const s = d.logNormal(Math.LN2);
          const o = outerV();
          m = mul4(eye4().map((v, j) => (o[j] as number) + (v - (o[j] as number)) * s), m);
        }
        for (let r = 0; r < 3; r++) {
          for (let q = 0; q < 3; q++) colour[i * 12 + r * 3 + q] = m[r * 4 + q] as number;
          colour[i * 12 + 9 + r] = m[r * 4 + 3] as number;
        }
      } else {
        colour[i * 2] = m[0] as number;
        colour[i * 2 + 1] = m[3] as number;
      }
      boxes.push(gate('cutout') ? randomBox(d, h, w, Math.round(h / 2), Math.round(w / 2)) : undefined);
    }
    return tf.tidy(() => {
      let x = images;
      if (!isIdentity(inverse)) x = samplePlan(x, planAffine(n, h, w, inverse, 'reflect'));
      const identityColour = c === 3 ? colour.every((v, j) => v === ((j % 12) % 4 === 0 && j % 12 < 9 ? 1 : 0)) : colour.every((v, j) => v === (j % 2 === 0 ? 1 : 0));
      if (!identityColour) x = colourTransform(x, colour);
      if (boxes.some((b) => b !== undefined)) x = applyCutout(x, boxes);
      return x === images ? tf.clone(images) : x;
    });
  };

  return {
    name: 'adaptive',
    kind: 'differentiable',
    config,
    apply,
    observe(realSignMean: number, n: number): void {
      if (!Number.isFinite(realSignMean) || !(n > 0)) return;
      sum += realSignMean * n;
      count += n;
      steps++;
      if (steps < interval) return;
      lastRt = sum / count;
      p = Math.min(maxP, Math.max(0, p + (Math.sign(lastRt - target) * count) / speed));
      sum = 0;
      count = 0;
      steps = 0;
    },
    metrics: () => ({ augmentP: p, augmentRt: lastRt }),
    getState: () => ({ p, sum, count, steps, lastRt }),
    setState(state: AugmentJson): void {
      const s = state as { [key: string]: AugmentJson } | null;
      const num = (k: string) => {
        const v = s?.[k];
        if (typeof v !== 'number' || !Number.isFinite(v)) throw new InvalidArgumentError('state', `ADA state needs a finite number "${k}", got ${JSON.stringify(v)}; pass the value getState() returned.`);
        return v;
      };
      p = num('p');
      sum = num('sum');
      count = num('count');
      steps = num('steps');
      lastRt = num('lastRt');
    },
  };
}

registerAugmentation('adaptive', (c) => adaptiveAugment(c as AdaptiveAugmentOptions));
