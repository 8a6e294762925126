import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, tfl } from '../tf.js';
import { InvalidArgumentError, UnknownOptionError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { dcgan } from '../models/dcgan.js';
import { ganFromLayers } from '../models/layers-gan.js';
import type { LayersGan } from '../models/types.js';
import { gradientPenalty } from './gradient-penalty.js';
import { r1Penalty } from './r1-penalty.js';
import type { DiscriminatorRegularizer } from './regularizer.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SEED = 77;

/** Sign pattern (> 0) of every hidden layer output of D on `x`: piecewise-linear D is smooth where it does not change. */
function pattern(model: LayersGan, x: tf.Tensor4D): string {
  const d = model.discriminator;
  const probe = tfl.model({ inputs: d.inputs, outputs: d.layers.slice(1, -1).map((l) => l.output as tfl.SymbolicTensor) });
  return tf.tidy(() => {
    const outs = probe.predict(x) as tf.Tensor | tf.Tensor[];
    return (Array.isArray(outs) ? outs : [outs]).map((o) => Array.from(tf.greater(o, 0).dataSync()).join('')).join('|');
  });
}

/**
 * Checks the penalty's gradient w.r.t. D's weights (a second derivative) against central finite
 * differences along several directions, using only step sizes for which D's activation pattern
 * stays fixed (a ReLU/LeakyReLU D is piecewise linear, so its input gradient jumps across patterns).
 */
function checkPenaltyGradient(model: LayersGan, reg: DiscriminatorRegularizer, real: tf.Tensor4D, fake: tf.Tensor4D, probeInput: tf.Tensor4D) {
  const vars = model.discriminatorVariables();
  const penalty = () => reg.penalty({ model, real, fake, seed: SEED, step: 1 });
  const { value, grads } = tf.variableGrads(penalty, vars);
  const p0 = value.dataSync()[0] as number;
  value.dispose();
  const g = vars.map((v) => grads[v.name] ?? tf.zerosLike(v));
  const gNorm = Math.sqrt(g.reduce((s, t) => s + (tf.sum(tf.square(t)).dataSync()[0] as number), 0));
  expect(gNorm).toBeGreaterThan(1e-3);
  const base = vars.map((v) => v.clone());
  const basePattern = pattern(model, probeInput);
  const directions = [g.map((t) => tf.div(t, gNorm)), ...[1, 2].map((k) => {
    const raw = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1, 'float32', 100 * k + i));
    const n = Math.sqrt(raw.reduce((s, t) => s + (tf.sum(tf.square(t)).dataSync()[0] as number), 0));
    return raw.map((t) => tf.div(t, n));
  })];
  const results: Array<{ fd: number; analytic: number; h: number }> = [];
  for (const dir of directions) {
    const analytic = g.reduce((s, t, i) => s + (tf.sum(tf.mul(t, dir[i] as tf.Tensor)).dataSync()[0] as number), 0);
    let found: { fd: number; h: number } | undefined;
    for (const h of [3e-2, 1e-2, 3e-3, 1e-3]) {
      const at = (sign: number) => {
        vars.forEach((v, i) => v.assign(tf.add(base[i] as tf.Tensor, tf.mul(dir[i] as tf.Tensor, sign * h))));
        const p = penalty();
        const out = { value: p.dataSync()[0] as number, stable: pattern(model, probeInput) === basePattern };
        p.dispose();
        return out;
      };
      const up = at(1);
      const down = at(-1);
      vars.forEach((v, i) => v.assign(base[i] as tf.Tensor));
      if (up.stable && down.stable) {
        found = { fd: (up.value - down.value) / (2 * h), h };
        break;
      }
    }
    expect(found, 'some step size keeps the activation pattern').toBeDefined();
    results.push({ ...(found as { fd: number; h: number }), analytic });
    tf.dispose(dir);
  }
  if (process.env.FD_PRINT) console.log(JSON.stringify({ gNorm, results }));
  for (const r of results) expect(Math.abs(r.fd - r.analytic)).toBeLessThan(2e-3 * gNorm + 1e-5);
  // The gradient direction itself: the derivative is the gradient norm.
  expect(results[0]?.analytic).toBeCloseTo(gNorm, 3);
  tf.dispose([...base, ...g]);
  return { p0, gNorm, results };
}

const models: Array<[string, () => LayersGan, [number, number, number]]> = [
  ['MLP discriminator', () => mlpGan({ latentDim: 4, imageShape: [6, 6, 1], generatorUnits: [8], discriminatorUnits: [16], seed: 5 }), [6, 6, 1]],
  ['DCGAN discriminator (conv, LeakyReLU)', () => dcgan({ resolution: 8, latentDim: 4, generatorFilters: 2, discriminatorFilters: 3, seed: 5 }), [8, 8, 1]],
];

describe('gradient penalties: d(penalty)/d(D weights) matches finite differences', () => {
  for (const [label, make, shape] of models) {
    for (const [name, reg] of [
      ['WGAN-GP', gradientPenalty({ weight: 10 })],
      ['R1', r1Penalty({ weight: 10 })],
    ] as const) {
      it(`${name} on the ${label}`, () => {
        const model = make();
        // Scale D up so the input gradients (and the penalty) are O(1).
        model.discriminatorVariables().forEach((v) => v.assign(tf.mul(v, 3)));
        const real = tf.randomUniform([3, ...shape], -1, 1, 'float32', 1) as tf.Tensor4D;
        const fake = tf.randomUniform([3, ...shape], -1, 1, 'float32', 2) as tf.Tensor4D;
        const eps = tf.randomUniform([3, 1, 1, 1], 0, 1, 'float32', SEED);
        const probe = (name === 'R1' ? real : tf.add(tf.mul(eps, real), tf.mul(tf.sub(1, eps), fake))) as tf.Tensor4D;
        const before = tf.memory().numTensors;
        const { value, grads } = tf.variableGrads(() => reg.penalty({ model, real, fake, seed: SEED, step: 1 }), model.discriminatorVariables());
        tf.dispose([value, ...Object.values(grads)]);
        expect(tf.memory().numTensors).toBe(before);
        const { p0 } = checkPenaltyGradient(model, reg, real, fake, probe);
        expect(p0).toBeGreaterThan(0);
        tf.dispose([real, fake, eps, probe]);
        model.dispose();
      });
    }
  }
});

describe('penalty values (hand computed on a linear D)', () => {
  // D(x) = sum(w * x) + b has input gradient w everywhere, so ||grad|| = ||w||.
  const linear = (w: number[]) => {
    const g = tfl.sequential({ layers: [tfl.layers.dense({ inputShape: [2], units: 2 }), tfl.layers.reshape({ targetShape: [1, 2, 1] })] });
    const d = tfl.sequential({ layers: [tfl.layers.flatten({ inputShape: [1, 2, 1] }), tfl.layers.dense({ units: 1 })] });
    d.layers[1]?.setWeights([tf.tensor2d(w, [2, 1]), tf.tensor1d([0.5])]);
    return ganFromLayers(g, d);
  };
  const x = () => tf.tensor4d([1, 2, -1, 0], [2, 1, 2, 1]);

  it('WGAN-GP is λ (‖w‖ - 1)² and R1 is γ/2 ‖w‖²', () => {
    const model = linear([3, 4]); // ‖w‖ = 5
    const real = x();
    const fake = tf.zeros([2, 1, 2, 1]) as tf.Tensor4D;
    const gp = gradientPenalty({ weight: 10 }).penalty({ model, real: real as tf.Tensor4D, fake, seed: 1, step: 1 });
    const r1 = r1Penalty({ weight: 2 }).penalty({ model, real: real as tf.Tensor4D, fake, seed: 1, step: 1 });
    expect(gp.dataSync()[0]).toBeCloseTo(10 * (5 - 1) ** 2, 3);
    expect(r1.dataSync()[0]).toBeCloseTo((2 / 2) * 25, 3);
    const target = gradientPenalty({ weight: 1, target: 5 }).penalty({ model, real: real as tf.Tensor4D, fake, seed: 1, step: 1 });
    expect(target.dataSync()[0]).toBeCloseTo(0, 4);
    tf.dispose([real, fake, gp, r1, target]);
    model.dispose();
  });

  it('WGAN-GP gradient w.r.t. w is 2λ(‖w‖ - 1) w/‖w‖ (hand computed)', () => {
    const model = linear([3, 4]);
    const real = x() as tf.Tensor4D;
    const fake = tf.zeros([2, 1, 2, 1]) as tf.Tensor4D;
    const kernel = model.discriminatorVariables()[0] as tf.Variable;
    const { grads } = tf.variableGrads(() => gradientPenalty({ weight: 10 }).penalty({ model, real, fake, seed: 1, step: 1 }), [kernel]);
    // 2 * 10 * (5 - 1) / 5 * [3, 4] = [48, 64]
    const g = Array.from(grads[kernel.name]!.dataSync());
    expect(g[0]).toBeCloseTo(48, 2);
    expect(g[1]).toBeCloseTo(64, 2);
    tf.dispose([real, fake, ...Object.values(grads)]);
    model.dispose();
  });

  it('rejects negative weights with typed errors', () => {
    expect(() => gradientPenalty({ weight: -1 })).toThrow(InvalidArgumentError);
    expect(() => r1Penalty({ weight: Number.NaN })).toThrow(/weight/);
  });

  it('names one option weight, keeps gamma as a deprecated alias, and rejects unknown keys', () => {
    expect(r1Penalty({ gamma: 3 }).config).toEqual({ weight: 3 });
    expect(r1Penalty().config).toEqual({ weight: 10 });
    expect(() => r1Penalty({ weight: 1, gamma: 2 })).toThrow(/weight only/);
    expect(() => r1Penalty({ wieght: 1 } as never)).toThrow('r1Penalty: unknown option "wieght". Did you mean "weight"?');
    expect(() => gradientPenalty({ targt: 1 } as never)).toThrow(UnknownOptionError);
  });
});
