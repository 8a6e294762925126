import { tf } from '../../tf.js';
import { gemmOnHeap } from './gemm.js';
import { ownGemmWanted } from './gemm-route.js';
import type { WasmBackendLike, WasmKernelFunc } from './wasm-backend.js';

/** Property under which an override keeps the kernel function it replaced. */
export const ORIGINAL_KERNEL = Symbol.for('aigc.wasm.originalKernel');

/** A kernel function that may carry the function it overrides. */
export type OverridingKernelFunc = WasmKernelFunc & { [ORIGINAL_KERNEL]?: WasmKernelFunc };

/** The kernel function registered for `kernelName` on wasm before aigc's override (or the current one). */
export function stockKernel(kernelName: string): WasmKernelFunc {
  const kernel = tf.getKernel(kernelName, 'wasm');
  if (kernel === undefined) {
    throw new Error(`aigc: the wasm ${kernelName} kernel is not registered; import @tensorflow/tfjs-backend-wasm first.`);
  }
  const func = kernel.kernelFunc as unknown as OverridingKernelFunc;
  return func[ORIGINAL_KERNEL] ?? func;
}

/** tfjs-backend-wasm's own BatchMatMul kernel function (its XNNPACK path when not transposing). */
export function stockBatchMatMul(): WasmKernelFunc {
  return stockKernel('BatchMatMul');
}

/**
 * `a @ b` for row-major float32 matrices `a: [rows, inner]`, `b: [inner, cols]` stored in wasm
 * tensors, through aigc's SIMD GEMM where gemm-route.ts wants it (the single-threaded build), else
 * the backend's fast (non-transposed, XNNPACK) matmul; both give the same bits. Returns a new
 * `[1, rows, cols]` tensor that the caller owns.
 */
export function matMulPlain(
  backend: WasmBackendLike,
  a: tf.TensorInfo,
  b: tf.TensorInfo,
  rows: number,
  inner: number,
  cols: number,
): tf.TensorInfo {
  if (rows > 0 && inner > 0 && cols > 0 && ownGemmWanted(backend, cols, false)) {
    const own = gemmOnHeap(backend, { a, b, m: rows, k: inner, n: cols, transposeA: false, transposeB: false, outShape: [1, rows, cols] });
    if (own !== null) return own;
  }
  return stockBatchMatMul()({
    inputs: {
      a: { dataId: a.dataId, shape: [1, rows, inner], dtype: 'float32' },
      b: { dataId: b.dataId, shape: [1, inner, cols], dtype: 'float32' },
    },
    backend,
    attrs: { transposeA: false, transposeB: false },
  });
}
