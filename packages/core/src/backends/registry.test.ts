import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { BackendUnavailableError, InvalidArgumentError } from '../errors.js';
import {
  ADAPTER_PACKAGES,
  knownBackendNames,
  registerBackendAdapter,
  resolveBackendAdapter,
  useBackend,
  defaultBackend,
} from './registry.js';
import type { BackendAdapter } from './types.js';

function notFound(spec: string): Error {
  return Object.assign(new Error(`Cannot find package '${spec}' imported from /app/index.js`), { code: 'ERR_MODULE_NOT_FOUND' });
}

afterAll(async () => {
  await tf.setBackend('cpu');
});

describe('backend registry', () => {
  it('resolves cpu and wasm built in, and uses wasm by default in Node', async () => {
    expect((await resolveBackendAdapter('cpu')).tfBackend).toBe('cpu');
    expect((await resolveBackendAdapter('wasm')).tfBackend).toBe('wasm');
    expect(defaultBackend()).toBe('wasm');
  });

  it('activates cpu and wasm for real', async () => {
    expect((await useBackend('cpu')).name).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    expect((await useBackend('wasm')).name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    const y = tf.matMul(tf.ones([2, 3]), tf.ones([3, 2]));
    expect(Array.from(y.dataSync())).toEqual([3, 3, 3, 3]);
    y.dispose();
  });

  it('names known backends in the error for an unknown name', async () => {
    const err = await resolveBackendAdapter('tpu').catch((e) => e);
    expect(BackendUnavailableError.isInstance(err)).toBe(true);
    expect(err.message).toContain('Unknown backend "tpu"');
    for (const name of ['cpu', 'wasm', 'webgpu', 'node-gpu']) expect(err.message).toContain(name);
  });

  it('tells which package to install when an adapter package is missing', async () => {
    const importModule = async (spec: string) => {
      throw notFound(spec);
    };
    const err = await resolveBackendAdapter('webgpu', { importModule }).catch((e) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.backend).toBe('webgpu');
    expect(err.message).toContain('npm install @aigc/backend-webgpu');
    const err2 = await resolveBackendAdapter('node-gpu', { importModule }).catch((e) => e);
    expect(err2.message).toContain('npm install @aigc/backend-node-gpu');
  });

  it('loads an adapter package by dynamic import and reports a wrong export shape', async () => {
    const fake: BackendAdapter = { name: 'webgpu', tfBackend: 'cpu', isAvailable: async () => true, load: async () => {} };
    const seen: string[] = [];
    const adapter = await resolveBackendAdapter('webgpu', {
      importModule: async (spec) => {
        seen.push(spec);
        return { aigcBackends: { webgpu: () => fake } };
      },
    });
    expect(adapter).toBe(fake);
    expect(seen).toEqual([ADAPTER_PACKAGES.webgpu]);
    const err = await resolveBackendAdapter('webgl', { importModule: async () => ({}) }).catch((e) => e);
    expect(err.message).toContain('does not provide the backend "webgl"');
  });

  it('falls back along a list and reports the first that initializes', async () => {
    const broken: BackendAdapter = {
      name: 'broken',
      tfBackend: 'broken',
      isAvailable: async () => false,
      load: async () => {
        throw new BackendUnavailableError('broken', 'no adapter here');
      },
    };
    const used = await useBackend([broken, 'cpu']);
    expect(used.name).toBe('cpu');
    const err = await useBackend([broken, 'nope']).catch((e) => e);
    expect(err).toBeInstanceOf(BackendUnavailableError);
    expect(err.message).toContain('broken: no adapter here');
    expect(err.message).toContain('nope: Unknown backend');
  });

  it('lets registered adapters take names and rejects invalid specs', async () => {
    registerBackendAdapter({ name: 'my-cpu', tfBackend: 'cpu', isAvailable: async () => true, load: async () => {} });
    expect(knownBackendNames()).toContain('my-cpu');
    expect((await useBackend('my-cpu')).name).toBe('my-cpu');
    await expect(useBackend([])).rejects.toBeInstanceOf(InvalidArgumentError);
    await expect(useBackend([42 as unknown as string])).rejects.toBeInstanceOf(InvalidArgumentError);
  });
});
