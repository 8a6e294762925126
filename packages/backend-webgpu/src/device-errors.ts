import { AigcError, tf } from '@aigc/core';

/** The part of a GPUDevice this module uses. */
interface DeviceLike {
  addEventListener?(type: 'uncapturederror', listener: (event: { error?: { message?: string } }) => void): void;
}

interface BackendLike {
  readonly device: DeviceLike;
}

interface ReaderPrototype {
  read(dataId: object): Promise<unknown>;
  readSync(dataId: object): unknown;
}

/** A WebGPU validation or out-of-memory error made a result invalid. */
export class WebGpuDeviceError extends AigcError {
  constructor(message: string) {
    super('WEBGPU_DEVICE_ERROR', message);
  }
}

const errorsByDevice = new WeakMap<DeviceLike, string[]>();
const WRAPPED = Symbol.for('aigc.webgpu.deviceErrors');

function watch(device: DeviceLike): void {
  if (errorsByDevice.has(device) || typeof device.addEventListener !== 'function') return;
  const errors: string[] = [];
  errorsByDevice.set(device, errors);
  device.addEventListener('uncapturederror', (event) => errors.push(event.error?.message ?? String(event.error)));
}

function throwIfErrors(device: DeviceLike): void {
  const errors = errorsByDevice.get(device);
  if (!errors || errors.length === 0) return;
  const first = (errors[0] ?? '').split('\n')[0];
  const count = errors.length;
  errors.length = 0;
  throw new WebGpuDeviceError(
    `WebGPU reported ${count} device error(s) while computing on the webgpu backend, so results read now are invalid ` +
      `(first: ${first}). This is a kernel the GPU cannot run; please report it, and train on another backend meanwhile ` +
      "(backend: ['wasm'] or 'webgl').",
  );
}

/**
 * WebGPU reports invalid pipelines and commands as asynchronous "uncapturederror" events, and
 * tfjs ignores them: the outputs then read as zeros. Records those errors for the device of every
 * new 'webgpu' backend and makes the next `data()` / `dataSync()` throw a {@link WebGpuDeviceError}.
 */
export function failReadsOnDeviceErrors(prototype: ReaderPrototype): void {
  const marked = prototype as ReaderPrototype & { [WRAPPED]?: boolean };
  if (marked[WRAPPED]) return;
  const { read, readSync } = prototype;
  prototype.read = async function (this: BackendLike, dataId: object) {
    watch(this.device);
    const values = await read.call(this, dataId);
    throwIfErrors(this.device);
    return values;
  };
  prototype.readSync = function (this: BackendLike, dataId: object) {
    watch(this.device);
    const values = readSync.call(this, dataId);
    throwIfErrors(this.device);
    return values;
  };
  marked[WRAPPED] = true;
  // Watch from the moment the backend exists, not only from its first read.
  const factory = tf.findBackendFactory('webgpu') as unknown as (() => Promise<BackendLike>) | null;
  if (factory) {
    tf.removeBackend('webgpu');
    tf.registerBackend(
      'webgpu',
      async () => {
        const backend = await factory();
        watch(backend.device);
        return backend as unknown as tf.KernelBackend;
      },
      3,
    );
  }
}
