import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { Draws } from './draws.js';
import { dataAugmentation } from './data-augmentation.js';
import { diffAugment } from './diff-augment.js';
import { adaptiveAugment } from './adaptive.js';
import { augmentationFromConfig, registerAugmentation } from './registry.js';
import type { Augmentation } from './types.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ctx = (seed: number) => ({ seed, step: 1, source: 'real' as const });

/** `n` images of `h x w x c` with distinct smooth values in [-0.8, 0.8]. */
function images(n: number, h: number, w: number, c: number): tf.Tensor4D {
  return tf.tensor4d(Array.from({ length: n * h * w * c }, (_, i) => 0.8 * Math.sin(i * 0.37 + 0.1)), [n, h, w, c]);
}

function run(aug: Augmentation, x: tf.Tensor4D, seed: number): number[][] {
  const [n] = x.shape;
  const out = tf.tidy(() => aug.apply(x, ctx(seed)));
  const v = Array.from(out.dataSync());
  out.dispose();
  const per = v.length / n;
  return Array.from({ length: n }, (_, i) => v.slice(i * per, (i + 1) * per));
}

const split = (x: tf.Tensor4D) => {
  const v = Array.from(x.dataSync());
  const per = v.length / x.shape[0];
  return Array.from({ length: x.shape[0] }, (_, i) => v.slice(i * per, (i + 1) * per));
};

const mirror = (img: number[], h: number, w: number, c: number) =>
  img.map((_, k) => {
    const ch = k % c, x = Math.floor(k / c) % w, y = Math.floor(k / c / w);
    return img[(y * w + (w - 1 - x)) * c + ch] as number;
  });

const mean = (v: number[]) => v.reduce((a, b) => a + b, 0) / v.length;

function expectClose(a: number[], b: number[], tol = 1e-5) {
  expect(a.length).toBe(b.length);
  a.forEach((v, i) => expect(Math.abs(v - (b[i] as number))).toBeLessThan(tol));
}

describe('dataAugmentation', () => {
  it('flips each image or leaves it exactly, about half of each', () => {
    const x = images(32, 4, 4, 3);
    const out = run(dataAugmentation({ flip: true }), x, 7);
    const ins = split(x);
    let flipped = 0;
    out.forEach((o, i) => {
      const same = o.every((v, k) => v === ins[i]![k]);
      const mirrored = o.every((v, k) => v === mirror(ins[i]!, 4, 4, 3)[k]);
      expect(same || mirrored).toBe(true);
      if (mirrored) flipped++;
    });
    expect(flipped).toBeGreaterThan(6);
    expect(flipped).toBeLessThan(26);
  });

  it('is deterministic under a seed and differs for another seed', () => {
    const aug = dataAugmentation({ flip: true, rotate: 15, scale: [0.9, 1.1], translate: 0.1, brightness: 0.2, contrast: 0.2, saturation: 0.2, cutout: 0.25 });
    const x = images(8, 8, 8, 3);
    expect(run(aug, x, 3)).toEqual(run(aug, x, 3));
    expect(run(aug, x, 4)).not.toEqual(run(aug, x, 3));
  });

  it('scales brightness as torchvision: (x + 1)·f - 1 with f in [1 - b, 1 + b]', () => {
    const x = images(6, 4, 4, 3);
    const out = run(dataAugmentation({ brightness: 0.2 }), x, 5);
    const d = new Draws(5);
    split(x).forEach((img, i) => {
      const f = d.uniform(0.8, 1.2);
      expectClose(out[i]!, img.map((v) => Math.min(1, Math.max(-1, (v + 1) * f - 1))));
    });
  });

  it('scales contrast around the mean luma and saturation toward the luma', () => {
    const x = images(4, 4, 4, 3);
    const luma = (img: number[]) => Array.from({ length: img.length / 3 }, (_, p) => 0.299 * img[p * 3]! + 0.587 * img[p * 3 + 1]! + 0.114 * img[p * 3 + 2]!);
    const c = run(dataAugmentation({ contrast: 0.3 }), x, 9);
    let d = new Draws(9);
    split(x).forEach((img, i) => {
      const f = d.uniform(0.7, 1.3);
      const m = mean(luma(img));
      expectClose(c[i]!, img.map((v) => Math.min(1, Math.max(-1, m + (v - m) * f))));
    });
    const s = run(dataAugmentation({ saturation: 0.5 }), x, 10);
    d = new Draws(10);
    split(x).forEach((img, i) => {
      const f = d.uniform(0.5, 1.5);
      const g = luma(img);
      expectClose(s[i]!, img.map((v, k) => Math.min(1, Math.max(-1, g[Math.floor(k / 3)]! + (v - g[Math.floor(k / 3)]!) * f))));
    });
  });

  it('cuts out one box of the expected size, set to 0', () => {
    const x = tf.ones([16, 8, 8, 1]) as tf.Tensor4D;
    const out = run(dataAugmentation({ cutout: 0.25 }), x, 2);
    const d = new Draws(2);
    out.forEach((img) => {
      const cy = d.int(0, 7), cx = d.int(0, 7);
      const expected = Array.from({ length: 64 }, (_, k) => {
        const y = Math.floor(k / 8), xx = k % 8;
        return y >= cy - 1 && y < cy + 1 && xx >= cx - 1 && xx < cx + 1 ? 0 : 1;
      });
      expect(img).toEqual(expected);
    });
  });

  it('rotates, zooms and shifts with reflection padding: values stay within the image range, and a 0-degree setting is exact', () => {
    const x = images(4, 8, 8, 1);
    const out = run(dataAugmentation({ rotate: 30, scale: [0.8, 1.2], translate: 0.2 }), x, 1);
    const lo = Math.min(...x.dataSync()), hi = Math.max(...x.dataSync());
    out.flat().forEach((v) => expect(v >= lo - 1e-6 && v <= hi + 1e-6).toBe(true));
    expect(out).not.toEqual(split(x));
    expect(run(dataAugmentation({ rotate: 0, scale: [1, 1] }), x, 1)).toEqual(split(x));
  });

  it('rejects bad options with what to pass instead', () => {
    expect(() => dataAugmentation({ rotate: 400 })).toThrow(InvalidArgumentError);
    expect(() => dataAugmentation({ scale: [1.2, 1.1] })).toThrow(/high end/);
    expect(() => dataAugmentation({ padding: 'wrap' as never })).toThrow(/reflect/);
  });
});

describe('diffAugment', () => {
  it("'color' follows the reference: + U(-0.5, 0.5), saturation ·U(0, 2) about the channel mean, contrast ·U(0.5, 1.5) about the image mean", () => {
    const x = images(3, 4, 4, 3);
    const out = run(diffAugment(['color']), x, 11);
    const d = new Draws(11);
    const b = [0, 1, 2].map(() => d.uniform(0, 1) - 0.5);
    const s = [0, 1, 2].map(() => d.uniform(0, 1) * 2);
    const k = [0, 1, 2].map(() => d.uniform(0, 1) + 0.5);
    split(x).forEach((img, i) => {
      let y = img.map((v) => v + b[i]!);
      y = y.map((v, j) => {
        const p = Math.floor(j / 3);
        const m = (y[p * 3]! + y[p * 3 + 1]! + y[p * 3 + 2]!) / 3;
        return (v - m) * s[i]! + m;
      });
      const m = mean(y);
      expectClose(out[i]!, y.map((v) => (v - m) * k[i]! + m));
    });
  });

  it("'translation' shifts by whole pixels up to 1/8 with zero padding, as the reference", () => {
    const x = images(8, 8, 8, 2);
    const out = run(diffAugment(['translation']), x, 4);
    const d = new Draws(4);
    const ty = Array.from({ length: 8 }, () => d.int(-1, 1));
    const tx = Array.from({ length: 8 }, () => d.int(-1, 1));
    split(x).forEach((img, i) => {
      const expected = img.map((_, k) => {
        const ch = k % 2, xx = Math.floor(k / 2) % 8, y = Math.floor(k / 16);
        const sy = y + ty[i]!, sx = xx + tx[i]!;
        return sy < 0 || sy > 7 || sx < 0 || sx > 7 ? 0 : img[(sy * 8 + sx) * 2 + ch]!;
      });
      expect(out[i]).toEqual(expected);
    });
    expect(new Set(tx.map((t, i) => `${t},${ty[i]}`)).size).toBeGreaterThan(2);
  });

  it("'cutout' zeros a box of half the side placed as the reference places it", () => {
    const x = tf.ones([8, 6, 6, 1]) as tf.Tensor4D;
    const out = run(diffAugment(['cutout']), x, 8);
    const d = new Draws(8);
    const oy = Array.from({ length: 8 }, () => d.int(0, 5));
    const ox = Array.from({ length: 8 }, () => d.int(0, 5));
    out.forEach((img, i) => {
      const y0 = oy[i]! - 1, x0 = ox[i]! - 1;
      expect(img).toEqual(Array.from({ length: 36 }, (_, k) => {
        const y = Math.floor(k / 6), xx = k % 6;
        return y >= y0 && y < y0 + 3 && xx >= x0 && xx < x0 + 3 ? 0 : 1;
      }));
    });
  });

  it('passes gradients through the whole policy (finite differences with the same seed)', () => {
    const aug = diffAugment(['color', 'translation', 'cutout']);
    const shape: [number, number, number, number] = [2, 8, 8, 3];
    const r = tf.tensor4d(Array.from({ length: 384 }, (_, i) => Math.cos(i * 0.91)), shape);
    const loss = (x: tf.Tensor) => tf.sum(tf.mul(tf.square(aug.apply(x as tf.Tensor4D, ctx(21))), r));
    const x0 = images(2, 8, 8, 3);
    const g = tf.tidy(() => Array.from(tf.grad(loss)(x0).dataSync()));
    const flat = Array.from(x0.dataSync());
    const f = (v: number[]) => tf.tidy(() => loss(tf.tensor4d(v, shape)).dataSync()[0] as number);
    const eps = 1e-2;
    let nonzero = 0;
    for (let i = 0; i < 384; i += 11) {
      const plus = flat.slice(); plus[i]! += eps;
      const minus = flat.slice(); minus[i]! -= eps;
      const numeric = (f(plus) - f(minus)) / (2 * eps);
      expect(Math.abs((g[i] as number) - numeric)).toBeLessThan(2e-2 * Math.max(1, Math.abs(numeric)));
      if (Math.abs(numeric) > 1e-3) nonzero++;
    }
    expect(nonzero).toBeGreaterThan(10);
  });

  it('rejects unknown policies', () => {
    expect(() => diffAugment(['colour' as never])).toThrow(/'color', 'translation' and 'cutout'/);
  });
});

describe('adaptiveAugment (ADA)', () => {
  it('raises p while r_t is above the target and lowers it below, every `interval` steps', () => {
    const ada = adaptiveAugment({ target: 0.6, interval: 4, speed: 1000 });
    expect(ada.metrics!()).toEqual({ augmentP: 0, augmentRt: 0 });
    for (let i = 0; i < 3; i++) ada.observe!(0.9, 16);
    expect(ada.metrics!().augmentP).toBe(0); // not yet: 3 of 4 steps
    ada.observe!(0.9, 16);
    expect(ada.metrics!().augmentP).toBeCloseTo(64 / 1000, 12);
    expect(ada.metrics!().augmentRt).toBeCloseTo(0.9, 12);
    for (let i = 0; i < 4 * 20; i++) ada.observe!(0.8, 16); // an overfitting D: p climbs to the cap
    expect(ada.metrics!().augmentP).toBe(1);
    for (let i = 0; i < 4 * 5; i++) ada.observe!(0.2, 16);
    expect(ada.metrics!().augmentP).toBeCloseTo(1 - 5 * 0.064, 9);
    expect(ada.metrics!().augmentRt).toBeCloseTo(0.2, 12);
    for (let i = 0; i < 4 * 30; i++) ada.observe!(-0.5, 16);
    expect(ada.metrics!().augmentP).toBe(0);
  });

  it('keeps p and its accumulators in its state, and rebuilds from its config', () => {
    const a = adaptiveAugment({ speed: 500, maxP: 0.5 });
    for (let i = 0; i < 6; i++) a.observe!(0.9, 8);
    const b = augmentationFromConfig(a.name, a.config);
    b.setState!(JSON.parse(JSON.stringify(a.getState!())));
    for (let i = 0; i < 10; i++) {
      a.observe!(i % 3 === 0 ? 0.1 : 0.95, 8);
      b.observe!(i % 3 === 0 ? 0.1 : 0.95, 8);
    }
    expect(b.metrics!()).toEqual(a.metrics!());
    expect(a.metrics!().augmentP).toBeLessThanOrEqual(0.5);
    expect(() => b.setState!({ p: 'x' })).toThrow(InvalidArgumentError);
  });

  it('is the identity at p = 0 and changes every image at p = 1, differentiably', () => {
    const x = images(6, 8, 8, 3);
    expect(run(adaptiveAugment(), x, 3)).toEqual(split(x));
    const full = adaptiveAugment({ initialP: 1 });
    const out = run(full, x, 3);
    out.forEach((o, i) => expect(o).not.toEqual(split(x)[i]));
    expect(run(full, x, 3)).toEqual(out);
    const g = tf.tidy(() => tf.grad((t: tf.Tensor) => tf.sum(full.apply(t as tf.Tensor4D, ctx(3))))(x).dataSync());
    expect(Array.from(g).every(Number.isFinite)).toBe(true);
    expect(Array.from(g).some((v) => v !== 0)).toBe(true);
  });

  it('applies on one-channel images (colour ops that need RGB are skipped)', () => {
    const x = images(4, 8, 8, 1);
    const out = run(adaptiveAugment({ initialP: 1 }), x, 5);
    expect(out.flat().every(Number.isFinite)).toBe(true);
    expect(out).not.toEqual(split(x));
  });
});

describe('augmentations in general', () => {
  const all = (): Augmentation[] => [
    dataAugmentation({ flip: true, rotate: 10, scale: [0.9, 1.1], translate: 0.1, brightness: 0.2, contrast: 0.2, saturation: 0.2, cutout: 0.25 }),
    diffAugment(),
    adaptiveAugment({ initialP: 0.7 }),
  ];

  it('round-trip through the registry from a JSON config (same output for the same seed)', () => {
    const x = images(4, 8, 8, 3);
    for (const aug of all()) {
      const rebuilt = augmentationFromConfig(aug.name, JSON.parse(JSON.stringify(aug.config)));
      expect(rebuilt.kind).toBe(aug.kind);
      expect(run(rebuilt, x, 17)).toEqual(run(aug, x, 17));
    }
    expect(() => augmentationFromConfig('nope')).toThrow(/registerAugmentation/);
    registerAugmentation('negate', () => ({ name: 'negate', kind: 'data', config: {}, apply: (t) => tf.neg(t) }));
    expect(run(augmentationFromConfig('negate'), x, 0)).toEqual(split(x).map((r) => r.map((v) => -v)));
  });

  it('leave no tensors behind over many applies and gradients', () => {
    const x = images(4, 8, 8, 3);
    const augs = all();
    for (const a of augs) a.apply(x, ctx(0)).dispose(); // warm-up
    const before = tf.memory().numTensors;
    for (let i = 0; i < 30; i++) {
      for (const a of augs) {
        a.apply(x, ctx(i)).dispose();
        if (a.kind === 'differentiable') tf.grad((t: tf.Tensor) => tf.sum(a.apply(t as tf.Tensor4D, ctx(i))))(x).dispose();
      }
    }
    expect(tf.memory().numTensors).toBe(before);
  });
});
