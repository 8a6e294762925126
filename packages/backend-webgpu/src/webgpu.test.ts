/**
 * The webgpu adapter for real in Node: Dawn from the `webgpu` package, on SwiftShader where the
 * machine has no GPU (the test, not the library, points VK_ICD_FILENAMES at it).
 */
import { describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { ImageDataset, mlpGan, tf, Trainer, useBackend } from '@aigc/core';
import { useSoftwareVulkanForTests } from '../test/parity/software-vulkan.js';
import { webgpuBackend } from './index.js';

const problem = useSoftwareVulkanForTests();
if (problem && process.env.CI) throw new Error(`[webgpu] the Node WebGPU tests must run in CI: ${problem}`);
if (problem) console.warn(`[webgpu] skipping the Node WebGPU tests: ${problem}`);

describe.skipIf(problem !== undefined)('webgpu in Node (Dawn)', () => {
  it('is available and computes on the GPU backend', async () => {
    expect(tf.findBackendFactory('webgpu')).toBeFalsy(); // nothing registered before load()
    expect(await webgpuBackend().isAvailable()).toBe(true);
    const adapter = await useBackend(webgpuBackend());
    expect(adapter.name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    const y = tf.matMul(tf.tensor2d([1, 2, 3, 4, 5, 6], [2, 3]), tf.tensor2d([1, 0, 0, 1, 1, 1], [3, 2]));
    expect(Array.from(await y.data())).toEqual([4, 5, 10, 11]);
    y.dispose();
  });

  it('explains that synchronous reads need await tensor.data() in Node', async () => {
    await useBackend(webgpuBackend());
    // Large enough that tfjs does not hand the op off to the CPU: the result lives on the GPU only.
    const y = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])));
    expect(() => y.dataSync()).toThrow(/await tensor\.data\(\)/);
    expect((await y.data())[0]).toBe(64);
    expect(y.dataSync()[4095]).toBe(64); // cached on the CPU after the async read
    y.dispose();
  });

  it('is one config line away: backend: "webgpu" resolves @aigc/backend-webgpu by name', async () => {
    await useBackend('cpu');
    const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 2 });
    const trainer = new Trainer(gan, { backend: 'webgpu', batchSize: 4, seed: 1 });
    const data = ImageDataset.fromArrays({ images: new Float32Array(8 * 16).map((_, i) => (i % 7) / 7), imageShape: [4, 4, 1] });
    await trainer.fit(data, { steps: 1 });
    const before = tf.memory().numTensors;
    const history = await trainer.fit(data, { steps: 3 });
    expect(trainer.backend).toBe('webgpu');
    expect(history.backend).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
    expect(tf.memory().numTensors).toBe(before);
    history.metrics.forEach((m) => expect(Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss)).toBe(true));
    trainer.dispose();
    gan.dispose();
  });

  it('wins a fallback list when it initializes', async () => {
    await useBackend('cpu');
    expect((await useBackend(['webgpu', 'wasm'])).name).toBe('webgpu');
    expect(tf.getBackend()).toBe('webgpu');
  });
});

describe.skipIf(problem !== undefined)('webgpu guards against silently wrong results', () => {
  it('sums more tensors with addN than one shader can bind (chunked kernel)', async () => {
    await useBackend(webgpuBackend());
    const xs = Array.from({ length: 23 }, (_, i) => tf.fill([300], i + 1));
    const before = tf.memory().numTensors;
    const s = tf.addN(xs);
    expect(Array.from((await s.data()).slice(0, 3))).toEqual([276, 276, 276]); // 1 + ... + 23
    expect(tf.memory().numTensors).toBe(before + 1);
    tf.dispose([s, ...xs]);
  });

  it('turns a WebGPU device error into a thrown error on the next read', async () => {
    await useBackend(webgpuBackend());
    const device = (tf.backend() as unknown as { device: { createBuffer(d: object): unknown } }).device;
    device.createBuffer({ size: 4, usage: 0xffffffff }); // invalid usage: an uncaptured validation error
    const y = tf.tidy(() => tf.matMul(tf.ones([64, 64]), tf.ones([64, 64])));
    await expect(y.data()).rejects.toThrow(/WebGPU reported 1 device error/);
    expect((await y.data())[0]).toBe(64); // errors are reported once; later reads are clean
    y.dispose();
  });
});
