/**
 * @aigc/backend-webgpu: the `'webgpu'` backend (browser `navigator.gpu`, or Dawn in Node) and the
 * `'webgl'` backend for @aigc/core. Importing this package registers nothing; backends load on use.
 * @packageDocumentation
 */
import type { BackendAdapterModule } from '@aigc/core';
import { webglBackend } from './webgl.js';
import { webgpuBackend } from './webgpu.js';

export { webgpuBackend, webgpu, type WebGpuBackendOptions } from './webgpu.js';
export { webglBackend, webgl, type WebGlBackendOptions } from './webgl.js';
export type { GpuLike } from './node-gpu-provider.js';
export { WebGpuDeviceError } from './device-errors.js';

/** Factories by backend name, found by @aigc/core when you pass `backend: 'webgpu'` or `'webgl'`. */
export const aigcBackends: BackendAdapterModule['aigcBackends'] = {
  webgpu: () => webgpuBackend(),
  webgl: () => webglBackend(),
};
