import { tf } from '../../tf.js';
import { gemmKernelsFor, TILE_COLS, TILE_ROWS } from './gemm-simd.js';
import { heapMemoryOf } from './simd.js';
import { heapOffset, release, type WasmBackendLike } from './wasm-backend.js';

/** One matrix product for {@link gemmOnHeap}: `a` is `[m, k]` (`[k, m]` if `transposeA`), `b` is `[k, n]` (`[n, k]` if `transposeB`). */
export interface GemmProduct {
  readonly a: tf.TensorInfo;
  readonly b: tf.TensorInfo;
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
  /** A bias row of `n` floats added to every output row (none by default). */
  readonly bias?: tf.TensorInfo;
  /** Applies ReLU after the bias (false by default). */
  readonly relu?: boolean;
  /** The output's shape (`m * n` elements). */
  readonly outShape: number[];
}

/**
 * `a · b` (+ bias, ReLU) by aigc's WebAssembly SIMD GEMM (gemm-simd.ts) on the wasm heap: both
 * operands are packed into panels in one pass each, whatever their layout (the transposes are
 * part of the packing), then the 4x8 microkernel runs single-threaded. Returns a new tensor the
 * caller owns, or null where the module cannot run (no SIMD, no heap memory found).
 */
export function gemmOnHeap(backend: WasmBackendLike, p: GemmProduct): tf.TensorInfo | null {
  const memory = heapMemoryOf(backend);
  const kernels = memory === null ? null : gemmKernelsFor(memory);
  if (kernels === null) return null;
  const { m, k, n } = p;
  const aLen = Math.ceil(m / TILE_ROWS) * TILE_ROWS * k;
  const bLen = Math.ceil(n / TILE_COLS) * TILE_COLS * k;
  const biasLen = p.bias === undefined ? 0 : Math.ceil(n / TILE_COLS) * TILE_COLS;
  const out = backend.makeOutput(p.outShape, 'float32');
  const work = backend.makeOutput([aLen + bLen + biasLen + TILE_ROWS * TILE_COLS], 'float32');
  try {
    // Offsets only after the last allocation (it may grow the heap).
    const ap = heapOffset(backend, work) * 4;
    const bp = ap + aLen * 4;
    const biasAt = bp + bLen * 4;
    // A(i, t) sits at i * k + t, or at t * m + i when stored transposed; B(t, j) at t * n + j, or j * k + t.
    kernels.pack(heapOffset(backend, p.a) * 4, ap, m, k, TILE_ROWS, p.transposeA ? 1 : k, p.transposeA ? m : 1);
    kernels.pack(heapOffset(backend, p.b) * 4, bp, n, k, TILE_COLS, p.transposeB ? k : 1, p.transposeB ? 1 : n);
    if (p.bias !== undefined) {
      const heap = new Float32Array(backend.typedArrayFromHeap(work).buffer);
      const at = biasAt >>> 2;
      heap.set(backend.typedArrayFromHeap(p.bias).subarray(0, n), at);
      heap.fill(0, at + n, at + biasLen);
    }
    const flags = (p.bias === undefined ? 0 : 1) | (p.relu === true ? 2 : 0);
    kernels.gemm(ap, bp, heapOffset(backend, out) * 4, m, k, n, biasAt, flags, biasAt + biasLen * 4);
  } finally {
    release(backend, work);
  }
  return out;
}
