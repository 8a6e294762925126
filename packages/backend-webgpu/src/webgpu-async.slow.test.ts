/**
 * The core's read paths on webgpu in Node, where `dataSync()` throws: sampling, slerp, image grids
 * and `evaluate` must read asynchronously only. Slow: SwiftShader compiles every shader on the CPU
 * (about 2 minutes on 2 busy cores).
 */
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { ImageDataset, evaluate, imageGridAsync, interpolate, mlpGan, tf, truncatedNormalSampler, useBackend } from '@aigc/core';
import { useSoftwareVulkanForTests } from '../test/parity/software-vulkan.js';
import { webgpuBackend } from './index.js';

const problem = useSoftwareVulkanForTests();
if (problem && process.env.CI) throw new Error(`[webgpu] the Node WebGPU tests must run in CI: ${problem}`);
if (problem) console.warn(`[webgpu] skipping the Node WebGPU read-path test: ${problem}`);

describe.skipIf(problem !== undefined)('webgpu in Node: no synchronous reads in the core', () => {
  it('samples, interpolates, tiles and evaluates', async () => {
    await useBackend(webgpuBackend());
    const gan = mlpGan({ seed: 3 });
    const a = tf.tensor1d([1, 0]);
    const b = tf.tensor1d([0, 1]);
    const path = interpolate(a, b, 3, 'slerp');
    expect((await path.data())[2]).toBeCloseTo(Math.SQRT1_2, 4);
    const z = truncatedNormalSampler(gan.latentDim, { threshold: 1, seed: 1 }).sample(4);
    const images = gan.generate(z as tf.Tensor2D);
    const grid = await imageGridAsync(images, { columns: 2 });
    expect(grid).toMatchObject({ width: 2 * 28 + 3 * 2, height: 2 * 28 + 3 * 2, channels: 1 });
    expect(grid.data.some((v) => v > 0)).toBe(true);
    tf.dispose([a, b, path, z, images]);
    const real = ImageDataset.fromArrays({ images: Float32Array.from({ length: 40 * 784 }, (_, i) => Math.sin(i) * 0.9), imageShape: [28, 28, 1] });
    const report = await evaluate(gan, { real, n: 40, metrics: ['fid', 'kid', 'precision'], kid: { subsetSize: 20, subsets: 2 } });
    expect(report.backend).toBe('webgpu');
    expect(report.metrics.map((m) => m.name)).toEqual(['fid', 'kid', 'precision']);
    for (const m of report.metrics) expect(Number.isFinite(m.value)).toBe(true);
    gan.dispose();
  });
});
