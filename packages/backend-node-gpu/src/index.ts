/**
 * @aigc/backend-node-gpu: the `'node-gpu'` (CUDA) and `'node'` (CPU) backends for @aigc/core,
 * both on TensorFlow's C library through `@tensorflow/tfjs-node(-gpu)`. Importing this package
 * loads nothing; the TensorFlow package is imported when the backend is first used.
 * @packageDocumentation
 */
import type { BackendAdapterModule } from '@aigc/core';
import { nodeBackend, nodeGpuBackend } from './adapters.js';

export { nodeGpuBackend, nodeBackend, nodeGpu, node, type NodeGpuBackendOptions } from './adapters.js';
export { TENSORFLOW_PACKAGES, TENSORFLOW_BACKEND, type TensorflowBackendOptions } from './tensorflow.js';
export { NODE_GPU_REQUIREMENTS, nodeGpuRequirementText } from './requirements.js';

/** Factories by backend name, found by @aigc/core when you pass `backend: 'node-gpu'` or `'node'`. */
export const aigcBackends: BackendAdapterModule['aigcBackends'] = {
  'node-gpu': () => nodeGpuBackend(),
  node: () => nodeBackend(),
};
