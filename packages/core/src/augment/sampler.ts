import { tf } from '../tf.js';

/**
 * How a geometric augmentation fills pixels it samples from outside the image: `'zeros'` (the
 * value 0, mid-gray in [-1, 1], as DiffAugment pads), `'reflect'` (mirror without repeating the
 * edge, as ADA pads) or `'edge'` (repeat the border pixel).
 */
export type AugmentPadding = 'zeros' | 'reflect' | 'edge';

/**
 * One inverse affine map per image, 6 numbers each `[a, b, tx, c, d, ty]`: the output pixel at
 * offset `(dx, dy)` from the image centre reads the source at offset `(a·dx + b·dy + tx, c·dx + d·dy + ty)`.
 */
export type InverseAffine = Float64Array;

/** Where every output pixel reads from: `taps` source rows (flat pixel indices) and weights per output pixel. */
export interface SamplingPlan {
  readonly n: number;
  readonly h: number;
  readonly w: number;
  /** 1 when every source position is a whole pixel (flip, 90-degree turns, integer shifts), else 4 (bilinear). */
  readonly taps: 1 | 4;
  /** `n·h·w·taps` flat source indices; `n·h·w` points at the padding row. */
  readonly index: Int32Array;
  /** `n·h·w·taps` bilinear weights. */
  readonly weight: Float32Array;
}

const SNAP = 1e-6;

function snap(v: number): number {
  const r = Math.round(v);
  return Math.abs(v - r) < SNAP ? r : v;
}

/** Maps a pixel coordinate into `[0, size)` for the padding mode; -1 means "outside" (zeros). */
function resolve(i: number, size: number, padding: AugmentPadding): number {
  if (i >= 0 && i < size) return i;
  if (padding === 'zeros') return -1;
  if (padding === 'edge' || size === 1) return i < 0 ? 0 : size - 1;
  const period = 2 * (size - 1);
  let r = Math.abs(i) % period;
  if (r > size - 1) r = period - r;
  return r;
}

/**
 * Computes, on the CPU, where each output pixel of `n` images of `h x w` reads from under the
 * inverse affine maps (bilinear, pixel centres at integer coordinates). Positions within 1e-6 of a
 * whole pixel are snapped to it, so flips, 90-degree turns and integer shifts are exact.
 */
export function planAffine(n: number, h: number, w: number, inverse: InverseAffine, padding: AugmentPadding): SamplingPlan {
  const outputs = n * h * w;
  const fill = outputs;
  const cx = (w - 1) / 2;
  const cy = (h - 1) / 2;
  const xs = new Float64Array(outputs);
  const ys = new Float64Array(outputs);
  let whole = true;
  let o = 0;
  for (let i = 0; i < n; i++) {
    const m = i * 6;
    const a = inverse[m] as number, b = inverse[m + 1] as number, tx = (inverse[m + 2] as number) + cx;
    const c = inverse[m + 3] as number, d = inverse[m + 4] as number, ty = (inverse[m + 5] as number) + cy;
    for (let y = 0; y < h; y++) {
      const dy = y - cy;
      for (let x = 0; x < w; x++, o++) {
        const dx = x - cx;
        const sx = snap(a * dx + b * dy + tx);
        const sy = snap(c * dx + d * dy + ty);
        xs[o] = sx;
        ys[o] = sy;
        if (whole && (sx !== Math.floor(sx) || sy !== Math.floor(sy))) whole = false;
      }
    }
  }
  // Resolved coordinates per axis, -1 for "outside" (zeros padding); memoised over the small range.
  const axis = (size: number) => {
    const lo = -4 * size - 2;
    const table = new Int32Array(10 * size + 6);
    for (let k = 0; k < table.length; k++) table[k] = resolve(k + lo, size, padding);
    return (v: number) => (v - lo >= 0 && v - lo < table.length ? (table[v - lo] as number) : resolve(v, size, padding));
  };
  const rx = axis(w);
  const ry = axis(h);
  const hw = h * w;
  if (whole) {
    const index = new Int32Array(outputs);
    for (let p = 0; p < outputs; p++) {
      const xx = rx(xs[p] as number);
      const yy = ry(ys[p] as number);
      index[p] = xx < 0 || yy < 0 ? fill : Math.floor(p / hw) * hw + yy * w + xx;
    }
    return { n, h, w, taps: 1, index, weight: new Float32Array(outputs).fill(1) };
  }
  const index = new Int32Array(outputs * 4);
  const weight = new Float32Array(outputs * 4);
  for (let p = 0; p < outputs; p++) {
    const sx = xs[p] as number, sy = ys[p] as number;
    const x0 = Math.floor(sx), y0 = Math.floor(sy);
    const fx = sx - x0, fy = sy - y0;
    const xa = rx(x0), xb = rx(x0 + 1), ya = ry(y0), yb = ry(y0 + 1);
    const base = Math.floor(p / hw) * hw;
    const k = p * 4;
    index[k] = xa < 0 || ya < 0 ? fill : base + ya * w + xa;
    index[k + 1] = xb < 0 || ya < 0 ? fill : base + ya * w + xb;
    index[k + 2] = xa < 0 || yb < 0 ? fill : base + yb * w + xa;
    index[k + 3] = xb < 0 || yb < 0 ? fill : base + yb * w + xb;
    weight[k] = (1 - fx) * (1 - fy);
    weight[k + 1] = fx * (1 - fy);
    weight[k + 2] = (1 - fx) * fy;
    weight[k + 3] = fx * fy;
  }
  return { n, h, w, taps: 4, index, weight };
}

/** The transpose of a plan: for each source pixel, the output pixels (and weights) that read it, padded to the largest count. */
function adjoint(plan: SamplingPlan): { k: number; index: Int32Array; weight: Float32Array } {
  const sources = plan.n * plan.h * plan.w;
  const counts = new Int32Array(sources);
  const t = plan.taps;
  for (let j = 0; j < plan.index.length; j++) {
    const s = plan.index[j] as number;
    if (s < sources && plan.weight[j] !== 0) counts[s]!++;
  }
  let k = 1;
  for (let s = 0; s < sources; s++) if ((counts[s] as number) > k) k = counts[s] as number;
  const index = new Int32Array(sources * k).fill(sources); // `sources` = the zero row appended to dy
  const weight = new Float32Array(sources * k);
  const cursor = new Int32Array(sources);
  for (let j = 0; j < plan.index.length; j++) {
    const s = plan.index[j] as number;
    const wj = plan.weight[j] as number;
    if (s >= sources || wj === 0) continue;
    const slot = s * k + cursor[s]!++;
    index[slot] = Math.floor(j / t);
    weight[slot] = wj;
  }
  return { k, index, weight };
}

/** Gathers `rows` of `flat` (`[rows, c]` plus one padding row) with `taps` weighted taps per output row. */
/** Whether a weighted gather can skip its multiply: every weight is 1, or 0 on a slot that reads the zero row. */
function unitWeights(weight: Float32Array, index: Int32Array, zeroRow: number): boolean {
  for (let j = 0; j < weight.length; j++) {
    const v = weight[j];
    if (v !== 1 && !(v === 0 && index[j] === zeroRow)) return false;
  }
  return true;
}

function gatherTaps(flat: tf.Tensor2D, index: Int32Array, weight: Float32Array, taps: number, outputs: number, c: number, zeroRow = -1): tf.Tensor2D {
  const gathered = tf.gather(flat, tf.tensor1d(index, 'int32'));
  if (unitWeights(weight, index, zeroRow)) return (taps === 1 ? gathered : tf.sum(tf.reshape(gathered, [outputs, taps, c]), 1)) as tf.Tensor2D;
  const weighted = tf.mul(gathered, tf.tensor2d(weight, [weight.length, 1]));
  if (taps === 1) return weighted as tf.Tensor2D;
  return tf.sum(tf.reshape(weighted, [outputs, taps, c]), 1);
}

/**
 * Resamples `[n, h, w, c]` images by a plan from {@link planAffine}, differentiably: the gradient
 * is the plan's transpose, applied with gathers too, so it runs on every backend (tfjs' own gather
 * gradient needs UnsortedSegmentSum, which the wasm backend lacks). Pixels from outside read `fill`.
 */
export function samplePlan(images: tf.Tensor4D, plan: SamplingPlan, fill = 0): tf.Tensor4D {
  const [n, h, w, c] = images.shape;
  const outputs = n * h * w;
  const run = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor;
    const flat = tf.concat([tf.reshape(x, [outputs, c]), tf.fill([1, c], fill)], 0) as tf.Tensor2D;
    const value = tf.reshape(gatherTaps(flat, plan.index, plan.weight, plan.taps, outputs, c), [n, h, w, c]);
    return {
      value,
      gradFunc: (dy: tf.Tensor) => {
        const adj = adjoint(plan);
        const dyFlat = tf.concat([tf.reshape(dy, [outputs, c]), tf.zeros([1, c])], 0) as tf.Tensor2D;
        return tf.reshape(gatherTaps(dyFlat, adj.index, adj.weight, adj.k, outputs, c, outputs), [n, h, w, c]);
      },
    };
  });
  return run(images) as tf.Tensor4D;
}

/** The identity map for `n` images. */
export function identityAffine(n: number): InverseAffine {
  const m = new Float64Array(n * 6);
  for (let i = 0; i < n; i++) {
    m[i * 6] = 1;
    m[i * 6 + 4] = 1;
  }
  return m;
}

/** True when every map in `inverse` is the identity (nothing to resample). */
export function isIdentity(inverse: InverseAffine): boolean {
  for (let i = 0; i < inverse.length; i += 6) {
    if (inverse[i] !== 1 || inverse[i + 1] !== 0 || inverse[i + 2] !== 0 || inverse[i + 3] !== 0 || inverse[i + 4] !== 1 || inverse[i + 5] !== 0) return false;
  }
  return true;
}
