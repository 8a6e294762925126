/**
 * The node-gpu and node adapters through an injected loader: module resolution, backend
 * registration and selection, one-line switching in the Trainer, and the errors when the package
 * or the CUDA libraries are missing.
 */
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { ImageDataset, mlpGan, tf, Trainer, useBackend, type BackendSpec } from '@aigc/core';
import { aigcBackends, node, nodeBackend, nodeGpu, nodeGpuBackend, NODE_GPU_REQUIREMENTS, TENSORFLOW_BACKEND } from './index.js';
import { resetLoadedPackageForTests } from './tensorflow.js';
import { failingTfjsNode, fakeTfjsNode, removeFakeBackend } from './fake-tfjs-node.test-utils.js';
import { unavailableError, unknownOptionError } from '../../backend-webgpu/test/expect-unavailable.js';

const GPU_PKG = '@tensorflow/tfjs-node-gpu';
const CPU_PKG = '@tensorflow/tfjs-node';

beforeAll(async () => {
  await useBackend('cpu');
});

afterEach(async () => {
  await useBackend('cpu');
  removeFakeBackend();
  resetLoadedPackageForTests();
});


function expectGpuRequirements(message: string): void {
  expect(message).toContain(GPU_PKG);
  expect(message).toContain('CUDA 11.2');
  expect(message).toContain('cuDNN 8.1.0');
  expect(message).toContain("backend: ['node-gpu', 'node', 'wasm']");
}

/** Trains a tiny seeded MLP GAN for 3 steps; returns the history and G's first kernel. */
async function train(backend: BackendSpec) {
  const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 5 });
  const trainer = new Trainer(gan, { backend, batchSize: 4, seed: 2 });
  const data = ImageDataset.fromArrays({ images: new Float32Array(8 * 16).map((_, i) => ((i * 37) % 11) / 11 - 0.5), imageShape: [4, 4, 1] });
  const history = await trainer.fit(data, { steps: 3 });
  const kernel = Array.from(await gan.generatorVariables()[0]!.data());
  const backendName = trainer.backend;
  trainer.dispose();
  gan.dispose();
  return { history, kernel, backendName };
}

describe('@aigc/backend-node-gpu', () => {
  it('exports both backends by name and registers nothing on import', () => {
    expect(Object.keys(aigcBackends).sort()).toEqual(['node', 'node-gpu']);
    expect(aigcBackends['node-gpu']?.()).toMatchObject({ name: 'node-gpu', tfBackend: TENSORFLOW_BACKEND });
    expect(aigcBackends.node?.()).toMatchObject({ name: 'node', tfBackend: TENSORFLOW_BACKEND });
    expect(tf.findBackendFactory(TENSORFLOW_BACKEND)).toBeFalsy();
    expect(NODE_GPU_REQUIREMENTS).toMatchObject({ cuda: '11.2', cudnn: '8.1.0' });
  });

  it('keeps the deprecated names node() and nodeGpu() working', () => {
    expect(node()).toMatchObject({ name: 'node', tfBackend: TENSORFLOW_BACKEND });
    expect(nodeGpu()).toMatchObject({ name: 'node-gpu', tfBackend: TENSORFLOW_BACKEND });
  });

  it('rejects unknown option keys with an UnknownOptionError naming the nearest valid key', () => {
    expect(unknownOptionError(() => nodeGpuBackend({ requireGPU: false } as never))).toMatchObject({ where: 'nodeGpuBackend', suggestion: 'requireGpu', allowed: ['requireGpu', 'importModule', 'resolveModule'] });
    expect(unknownOptionError(() => nodeBackend({ importModul: undefined } as never))).toMatchObject({ where: 'nodeBackend', suggestion: 'importModule' });
    expect(unknownOptionError(() => nodeGpu({ requireGpus: true } as never))).toMatchObject({ suggestion: 'requireGpu' });
    expect(unknownOptionError(() => node({ requireGpu: true } as never))).toMatchObject({ where: 'nodeBackend', suggestion: 'resolveModule' });
    expect(nodeGpuBackend({ requireGpu: false, importModule: undefined }).name).toBe('node-gpu');
  });

  it('loads @tensorflow/tfjs-node-gpu, selects its backend, and trains exactly like cpu', async () => {
    const importModule = fakeTfjsNode([GPU_PKG]);
    const adapter = nodeGpuBackend({ importModule });
    expect((await useBackend(adapter)).name).toBe('node-gpu');
    expect(importModule.imported).toEqual([GPU_PKG]);
    expect(tf.getBackend()).toBe(TENSORFLOW_BACKEND);
    const onGpu = await train(adapter);
    expect(onGpu.backendName).toBe('node-gpu');
    expect(onGpu.history.backend).toBe('node-gpu');
    const onCpu = await train('cpu');
    // The stand-in runs tfjs' cpu kernels, so the results are identical; the real package is checked in node-gpu.real.test.ts.
    expect(onGpu.history.metrics.map((m) => [m.dLoss, m.gLoss])).toEqual(onCpu.history.metrics.map((m) => [m.dLoss, m.gLoss]));
    expect(onGpu.kernel).toEqual(onCpu.kernel);
  });

  it('loads @tensorflow/tfjs-node for backend "node"', async () => {
    const importModule = fakeTfjsNode([CPU_PKG], false);
    expect((await useBackend(nodeBackend({ importModule }))).name).toBe('node');
    expect(importModule.imported).toEqual([CPU_PKG]);
    expect(tf.getBackend()).toBe(TENSORFLOW_BACKEND);
  });

  it('names the package, the install command, CUDA and cuDNN, and the fallback when tfjs-node-gpu is missing', async () => {
    const err = await unavailableError(useBackend(nodeGpuBackend({ importModule: fakeTfjsNode([]) })));
    expect(err.backend).toBe('node-gpu');
    expect(err.message).toContain(`npm install ${GPU_PKG}@4.22.0`);
    expectGpuRequirements(err.message);
    const cpuErr = await unavailableError(useBackend(nodeBackend({ importModule: fakeTfjsNode([]) })));
    expect(cpuErr.message).toContain(`npm install ${CPU_PKG}@4.22.0`);
    expect(cpuErr.message).toContain("backend: ['node', 'wasm']");
    expect(cpuErr.message).not.toContain('CUDA');
  });

  it('explains missing CUDA libraries when the native module cannot load them', async () => {
    const importModule = failingTfjsNode('libcudart.so.11.0: cannot open shared object file: No such file or directory');
    const err = await unavailableError(useBackend(nodeGpuBackend({ importModule })));
    expect(err.message).toContain('could not load the CUDA libraries');
    expect(err.message).toContain('libcudart.so.11.0');
    expectGpuRequirements(err.message);
  });

  it('refuses to train on the CPU when TensorFlow found no GPU, and restores the previous backend', async () => {
    const err = await unavailableError(useBackend(nodeGpuBackend({ importModule: fakeTfjsNode([GPU_PKG], false) })));
    expect(err.message).toContain('without a GPU device');
    expect(err.message).toContain('requireGpu: false');
    expectGpuRequirements(err.message);
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend(nodeGpuBackend({ importModule: fakeTfjsNode([GPU_PKG], false), requireGpu: false }))).name).toBe('node-gpu');
  });

  it('reports a broken native binding with the rebuild command', async () => {
    const importModule = failingTfjsNode('The specified module could not be found. \\\\?\\C:\\app\\tfjs_binding.node');
    const err = await unavailableError(useBackend(nodeBackend({ importModule })));
    expect(err.message).toContain(`npm rebuild ${CPU_PKG}`);
  });

  it('falls back along a list, and the trainer reports the backend in use', async () => {
    const { backendName, history } = await train([nodeGpuBackend({ importModule: fakeTfjsNode([]) }), nodeBackend({ importModule: fakeTfjsNode([]) }), 'cpu']);
    expect(backendName).toBe('cpu');
    expect(history.backend).toBe('cpu');
  });

  it('refuses to mix tfjs-node and tfjs-node-gpu in one process', async () => {
    await useBackend(nodeBackend({ importModule: fakeTfjsNode([CPU_PKG, GPU_PKG]) }));
    const err = await unavailableError(useBackend(nodeGpuBackend({ importModule: fakeTfjsNode([CPU_PKG, GPU_PKG]) })));
    expect(err.message).toContain('one process can use only one of them');
  });

  it('reports a package that registered with another copy of tfjs-core', async () => {
    const err = await unavailableError(useBackend(nodeBackend({ importModule: async () => ({}) })));
    expect(err.message).toContain('two copies of @tensorflow/tfjs-core');
  });

  it('checks availability by resolving the package without loading it', async () => {
    const resolveModule = (s: string) => {
      if (s === CPU_PKG) return '/app/node_modules/@tensorflow/tfjs-node/dist/index.js';
      throw new Error('not found');
    };
    expect(await nodeBackend({ resolveModule }).isAvailable()).toBe(true);
    expect(await nodeGpuBackend({ resolveModule }).isAvailable()).toBe(false);
    expect(tf.findBackendFactory(TENSORFLOW_BACKEND)).toBeFalsy();
  });
});
