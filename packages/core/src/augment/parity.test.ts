import { afterAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { useBackend } from '../backends/registry.js';
import { parityRun } from './parity.test-utils.js';

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('augmentations give the same images and gradients on cpu and wasm', () => {
  it('matches to float rounding (random parameters are drawn on the CPU, not by backend random ops)', async () => {
    await useBackend('cpu');
    const cpu = await parityRun();
    await useBackend('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const wasm = await parityRun();
    cpu.forEach((c, i) => {
      const w = wasm[i]!;
      expect(w.name).toBe(c.name);
      let worst = 0;
      c.out.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (w.out[k] as number)))));
      c.grad?.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (w.grad![k] as number)))));
      expect(worst, c.name).toBeLessThan(1e-5);
    });
  });
});
