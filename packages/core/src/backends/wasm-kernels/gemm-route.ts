import { tf } from '../../tf.js';
import { gemmOnHeap } from './gemm.js';
import { heapMemoryOf } from './simd.js';
import { isShared } from './wasm-asm.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/** The environment variable that switches aigc's own wasm GEMM: `0` never, `1` for every product it can take (threaded builds too), unset: see {@link ownGemmPreferred}. */
export const WASM_GEMM_ENV = 'AIGC_WASM_GEMM';

/** How {@link ownGemm} routes: by {@link ownGemmPreferred} ('auto', the default), never ('off'), or always ('on'). */
export type GemmMode = 'auto' | 'off' | 'on';

/** The mode from `AIGC_WASM_GEMM` in Node (read on every call, so a benchmark can switch it); 'auto' elsewhere. */
export function gemmMode(): GemmMode {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  const v = p?.env?.[WASM_GEMM_ENV];
  if (v === '0') return 'off';
  if (v === '1') return 'on';
  return 'auto';
}

/**
 * Whether aigc's GEMM takes an unbatched `[m x k] · [k x n]` product in the default ('auto') mode:
 * on the single-threaded wasm build, where the MLP GAN's Trainer step runs 1.12–1.19x faster with it
 * than with XNNPACK (its transposed products need no separate transpose; per product bench/gemm.mjs
 * measured 0.93–1.47x, and 0.95–1.15x at 1024x1024 on the hosts of docs/benchmarks.md), except the untransposed
 * matrix-vector product (`n = 1`: the 4x8 tile computes 8 columns for one), which stays on XNNPACK.
 * The threaded build keeps XNNPACK, whose threads share each product (aigc's GEMM runs on one).
 * Both give the same bits, so the choice never changes results.
 */
export function ownGemmPreferred(backend: object, n: number, transposed: boolean): boolean {
  if (n === 1 && !transposed) return false;
  const memory = heapMemoryOf(backend);
  return memory !== null && !isShared(memory);
}

/** Whether the mode (and in 'auto', {@link ownGemmPreferred}) sends this product of `backend` to aigc's GEMM. */
export function ownGemmWanted(backend: object, n: number, transposed: boolean): boolean {
  const mode = gemmMode();
  return mode === 'on' || (mode === 'auto' && ownGemmPreferred(backend, n, transposed));
}

const batchOf = (info: tf.TensorInfo): number => tf.util.sizeFromShape(info.shape.slice(0, -2));

/**
 * `a · b` (+ bias, ReLU) of two unbatched float32 matrices by aigc's GEMM when the mode says so;
 * undefined otherwise (the caller then runs its XNNPACK path).
 */
export function ownGemm(
  args: WasmKernelArgs,
  transposeA: boolean,
  transposeB: boolean,
  bias?: tf.TensorInfo,
  relu = false,
  /** Use the GEMM in 'auto' mode even on the threaded build (where the alternative is wrong). */
  force = false,
): tf.TensorInfo | undefined {
  const mode = gemmMode();
  if (mode === 'off') return undefined;
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  if (a.dtype !== 'float32' || b.dtype !== 'float32' || a.shape.length < 2 || b.shape.length < 2) return undefined;
  if (batchOf(a) !== 1 || batchOf(b) !== 1) return undefined;
  const [ar, ac] = a.shape.slice(-2) as [number, number];
  const [br, bc] = b.shape.slice(-2) as [number, number];
  const [m, k] = transposeA ? [ac, ar] : [ar, ac];
  const [k2, n] = transposeB ? [bc, br] : [br, bc];
  if (k !== k2 || m === 0 || n === 0 || k === 0) return undefined;
  if (bias !== undefined && (bias.dtype !== 'float32' || tf.util.sizeFromShape(bias.shape) !== n)) return undefined;
  if (mode === 'auto' && !force && !ownGemmPreferred(args.backend, n, transposeA || transposeB)) return undefined;
  const lead = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const out = gemmOnHeap(args.backend, { a, b, m, k, n, transposeA, transposeB, relu, outShape: [...lead, m, n], ...(bias === undefined ? {} : { bias }) });
  return out ?? undefined;
}
