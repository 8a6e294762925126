import { checkKeys, type BackendAdapter } from '@aigc/core';
import { tensorflowAdapter, type TensorflowBackendOptions } from './tensorflow.js';

/** Options of {@link nodeGpuBackend}. */
export interface NodeGpuBackendOptions extends TensorflowBackendOptions {
  /**
   * Fail when TensorFlow starts without a GPU device (CUDA or cuDNN missing), rather than
   * silently training on the CPU. Default true.
   */
  readonly requireGpu?: boolean;
}

/**
 * The `'node-gpu'` backend: TensorFlow's C library with CUDA, through the optional peer
 * dependency `@tensorflow/tfjs-node-gpu@4.22.0` (NVIDIA GPU, CUDA 11.2, cuDNN 8.1.0).
 * Nothing is imported until `load()`.
 */
export function nodeGpuBackend(options: NodeGpuBackendOptions = {}): BackendAdapter {
  checkKeys('nodeGpuBackend', options, { requireGpu: true, importModule: true, resolveModule: true });
  return tensorflowAdapter('node-gpu', options, options.requireGpu ?? true);
}

/**
 * The `'node'` backend: TensorFlow's C library on the CPU, through the optional peer dependency
 * `@tensorflow/tfjs-node@4.22.0`. Nothing is imported until `load()`.
 */
export function nodeBackend(options: TensorflowBackendOptions = {}): BackendAdapter {
  checkKeys('nodeBackend', options, { importModule: true, resolveModule: true });
  return tensorflowAdapter('node', options, false);
}

/**
 * The old name of {@link nodeGpuBackend}.
 * @deprecated Use {@link nodeGpuBackend} (the `xxxBackend()` names match `cpuBackend()` and `wasmBackend()`); `nodeGpu` goes in the next minor release.
 */
export function nodeGpu(options: NodeGpuBackendOptions = {}): BackendAdapter {
  return nodeGpuBackend(options);
}

/**
 * The old name of {@link nodeBackend}.
 * @deprecated Use {@link nodeBackend} (the `xxxBackend()` names match `cpuBackend()` and `wasmBackend()`); `node` goes in the next minor release.
 */
export function node(options: TensorflowBackendOptions = {}): BackendAdapter {
  return nodeBackend(options);
}
