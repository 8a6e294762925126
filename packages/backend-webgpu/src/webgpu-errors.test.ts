/**
 * The webgpu and webgl adapters' failures, with stand-ins for the `webgpu` (Dawn) package:
 * each error says what is missing, how to get it, and which backends to fall back to.
 */
import { afterEach, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { mlpGan, tf, Trainer, useBackend, ImageDataset } from '@aigc/core';
import { aigcBackends, webgl, webglBackend, webgpu, webgpuBackend } from './index.js';
import { resetNodeGpuForTests } from './node-gpu-provider.js';
import { unavailableError } from '../test/expect-unavailable.js';

const notFound = (spec: string) =>
  Object.assign(new Error(`Cannot find package '${spec}' imported from /app/x.js`), { code: 'ERR_MODULE_NOT_FOUND' });

/** A Dawn module whose GPU offers no adapter (a machine without a Vulkan driver). */
const dawnWithoutAdapter = async () => ({ create: () => ({ requestAdapter: async () => null }), globals: {} });

afterEach(() => {
  resetNodeGpuForTests();
});


describe('@aigc/backend-webgpu without side effects', () => {
  it('registers nothing with tfjs on import, and serves webgpu and webgl by name', () => {
    expect(tf.findBackendFactory('webgpu')).toBeFalsy();
    expect(tf.findBackendFactory('webgl')).toBeFalsy();
    expect(Object.keys(aigcBackends).sort()).toEqual(['webgl', 'webgpu']);
    expect(aigcBackends.webgpu?.().tfBackend).toBe('webgpu');
    expect(aigcBackends.webgl?.().name).toBe('webgl');
  });

  it('keeps the deprecated names webgpu() and webgl() working', () => {
    expect(webgpu()).toMatchObject({ name: 'webgpu', tfBackend: 'webgpu' });
    expect(webgl()).toMatchObject({ name: 'webgl', tfBackend: 'webgl' });
  });
});

describe('webgpu in Node', () => {
  it('says to install the webgpu package when it is missing, and names the fallbacks', async () => {
    const err = await unavailableError(webgpuBackend({ importModule: async (s) => Promise.reject(notFound(s)) }).load());
    expect(err.backend).toBe('webgpu');
    expect(err.message).toContain('npm install webgpu');
    expect(err.message).toContain("backend: ['webgpu', 'wasm']");
    expect(await webgpuBackend({ importModule: async (s) => Promise.reject(notFound(s)) }).isAvailable()).toBe(false);
  });

  it('explains how to get an adapter when Dawn finds none, without forcing one', async () => {
    const before = process.env.VK_ICD_FILENAMES;
    const err = await unavailableError(webgpuBackend({ importModule: dawnWithoutAdapter }).load());
    expect(err.message).toContain('found no GPU adapter');
    expect(err.message).toContain('libvulkan1');
    expect(err.message).toContain('VK_ICD_FILENAMES');
    expect(err.message).toMatch(/lavapipe|SwiftShader/);
    expect(err.message).toContain("'wasm'");
    expect(process.env.VK_ICD_FILENAMES).toBe(before); // the library never picks a driver itself
    expect(tf.findBackendFactory('webgpu')).toBeFalsy(); // nothing registered on failure
  });

  it('lets a fallback list continue, and the trainer reports the backend in use', async () => {
    const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 1 });
    const trainer = new Trainer(gan, { backend: [webgpuBackend({ importModule: dawnWithoutAdapter }), 'cpu'], batchSize: 4 });
    const data = ImageDataset.fromArrays({ images: new Float32Array(8 * 16).fill(0.5), imageShape: [4, 4, 1] });
    const history = await trainer.fit(data, { steps: 1 });
    expect(trainer.backend).toBe('cpu');
    expect(history.backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    trainer.dispose();
    gan.dispose();
  });

  it('reports a failing requestAdapter as unavailable', async () => {
    const importModule = async () => ({
      create: () => ({ requestAdapter: async () => Promise.reject(new Error('device lost')) }),
      globals: {},
    });
    const err = await unavailableError(webgpuBackend({ importModule }).load());
    expect(err.message).toContain('requestAdapter() failed: device lost');
  });
});

describe('in a browser (simulated)', () => {
  it('says WebGPU is missing and names webgl and wasm as fallbacks', async () => {
    const g = globalThis as { window?: unknown };
    g.window = {};
    try {
      const err = await unavailableError(webgpuBackend().load());
      expect(err.message).toContain('navigator.gpu is missing');
      expect(err.message).toContain('secure context');
      expect(err.message).toContain("['webgpu', 'webgl', 'wasm']");
      expect(await webgpuBackend().isAvailable()).toBe(false);
      expect(await webglBackend().isAvailable()).toBe(false); // no document here
    } finally {
      delete g.window;
    }
  });
});

describe('webgl', () => {
  it('refuses to load in Node and names the Node backends', async () => {
    const err = await unavailableError(webglBackend().load());
    expect(err.backend).toBe('webgl');
    expect(err.message).toContain('needs a browser');
    expect(err.message).toContain('"wasm"');
    expect(await webglBackend().isAvailable()).toBe(false);
    await expect(useBackend('cpu')).resolves.toMatchObject({ name: 'cpu' });
  });
});
