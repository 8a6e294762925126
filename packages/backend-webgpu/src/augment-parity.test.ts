/** Augmentations on webgpu in Node (Dawn on SwiftShader) give cpu's images and gradients. */
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf, useBackend } from '@aigc/core';
import { parityRun } from '../../core/src/augment/parity.test-utils.js';
import { useSoftwareVulkanForTests } from '../test/parity/software-vulkan.js';
import { webgpu } from './index.js';

const problem = useSoftwareVulkanForTests();
if (problem && process.env.CI) throw new Error(`[webgpu] the Node WebGPU tests must run in CI: ${problem}`);
if (problem) console.warn(`[webgpu] skipping the augmentation parity test: ${problem}`);

describe.skipIf(problem !== undefined)('augmentations on webgpu (Node, Dawn)', () => {
  it('match cpu to float rounding, outputs and input gradients', async () => {
    await useBackend('cpu');
    const cpu = await parityRun();
    await useBackend(webgpu());
    expect(tf.getBackend()).toBe('webgpu');
    const gpu = await parityRun();
    await useBackend('cpu');
    cpu.forEach((c, i) => {
      const g = gpu[i]!;
      let worst = 0;
      c.out.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (g.out[k] as number)))));
      c.grad?.forEach((v, k) => (worst = Math.max(worst, Math.abs(v - (g.grad![k] as number)))));
      expect(worst, c.name).toBeLessThan(1e-4);
    });
  });
});
