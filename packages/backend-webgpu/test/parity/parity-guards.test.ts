/**
 * Guards of the parity suite itself: it covers every builder and loss core exports, its
 * tolerances catch a real difference, and a backend that lacks a kernel fails loudly.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf, useBackend, type BackendAdapter } from '@aigc/core';
import { lossFactories, missingModelConfigs, modelBuilders, parityCases, runCase, runCases, PARITY_LR } from './cases.js';
import { compareRuns, isResult, WEIGHT_ATOL } from './compare.js';

beforeAll(async () => {
  await useBackend('cpu');
});

describe('parity coverage', () => {
  it('has a small configuration for every GAN builder @aigc/core exports', () => {
    expect(modelBuilders()).toContain('mlpGan');
    // A new builder without an entry in MODEL_CONFIGS (cases.ts) fails here by name.
    expect(missingModelConfigs()).toEqual([]);
  });

  it('finds every loss factory, and nothing that is not a LossFn', () => {
    const losses = lossFactories();
    expect(losses).toEqual(expect.arrayContaining(['minimaxLoss', 'nonSaturatingLoss']));
    expect(losses).not.toContain('crossEntropyDiscriminatorLoss');
    expect(parityCases().length).toBe(modelBuilders().length * losses.length);
  });
});

describe('parity tolerances', () => {
  it('are exceeded by a 1% change of the learning rate (so a wrong kernel cannot hide in them)', async () => {
    // The MLP alone keeps this fast; the tolerance check does not depend on the model.
    for (const model of ['mlpGan']) {
      const c = { model, loss: 'nonSaturatingLoss' };
      const a = await runCase(c, 'cpu');
      const b = await runCase(c, 'cpu', PARITY_LR * 1.01);
      const again = await runCase(c, 'cpu');
      expect(compareRuns(again, a).maxWeightDiff).toBe(0); // cpu is exactly repeatable
      const d = compareRuns(b, a);
      console.log(`[parity] ${model}: a 1% learning-rate change moves weights by up to ${d.maxWeightDiff.toExponential(2)}`);
      expect(d.ok).toBe(false);
      expect(d.maxWeightDiff).toBeGreaterThan(WEIGHT_ATOL);
    }
  });

  it('compare flags a single corrupted weight and a missing step', async () => {
    const a = await runCase({ model: 'mlpGan', loss: 'nonSaturatingLoss' }, 'cpu');
    const weights = [...a.weights];
    weights[weights.length - 1] = (weights[weights.length - 1] as number) + 1e-4;
    expect(compareRuns({ ...a, weights }, a).ok).toBe(false);
    expect(compareRuns({ ...a, losses: a.losses.slice(1) }, a).ok).toBe(false);
    expect(compareRuns(a, a)).toEqual({ maxLossDiff: 0, maxRelLossDiff: 0, maxWeightDiff: 0, ok: true });
  });
});

describe('a backend missing a kernel', () => {
  it('fails the DCGAN with an error naming the kernel and the backend, never a result', async () => {
    const name = 'cpu-without-conv2d-backprop-filter';
    tf.registerBackend(name, () => new MathBackendCPU(), 0);
    for (const k of tf.getKernelsForBackend('cpu')) {
      if (k.kernelName !== 'Conv2DBackpropFilter') tf.registerKernel({ ...k, backendName: name });
    }
    const adapter: BackendAdapter = { name: 'partial-cpu', tfBackend: name, isAvailable: async () => true, load: async () => {} };
    const [result] = await runCases([{ model: 'dcgan', loss: 'nonSaturatingLoss' }], adapter, 'partial-cpu');
    expect(result && isResult(result)).toBe(false);
    expect((result as { error: string }).error).toMatch(/Conv2DBackpropFilter/);
    expect((result as { error: string }).error).toContain(name);
    tf.removeBackend(name);
    await useBackend('cpu');
  });
});
