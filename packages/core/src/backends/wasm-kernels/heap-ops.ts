import type { tf } from '../../tf.js';
import { transposeBatched } from './layout.js';
import { simdKernelsOf } from './simd.js';
import { heapOffset, type WasmBackendLike } from './wasm-backend.js';

/**
 * Writes the transpose of each `rows x cols` float32 matrix of `src` (`batch` of them, back to
 * back) into `dst`, both wasm tensors: by WebAssembly SIMD 4x4 blocks when both sides are
 * multiples of 4 (~5x faster), else by the blocked JS loop.
 */
export function transposeOnHeap(backend: WasmBackendLike, src: tf.TensorInfo, dst: tf.TensorInfo, batch: number, rows: number, cols: number): void {
  const simd = rows % 4 === 0 && cols % 4 === 0 ? simdKernelsOf(backend) : null;
  if (simd === null) {
    transposeBatched(backend.typedArrayFromHeap(src), 0, backend.typedArrayFromHeap(dst), 0, batch, rows, cols);
    return;
  }
  const s = heapOffset(backend, src) * 4;
  const d = heapOffset(backend, dst) * 4;
  for (let b = 0; b < batch; b++) simd.transpose(s + b * rows * cols * 4, d + b * rows * cols * 4, rows, cols);
}
