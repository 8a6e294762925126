import { tf } from '../../tf.js';
import { batchMatMul } from './batch-mat-mul.js';
import { conv2DBackpropFilter } from './conv2d-backprop-filter.js';
import { conv2DBackpropInput } from './conv2d-backprop-input.js';
import { fusedMatMul } from './fused-mat-mul.js';
import { identityShared } from './identity.js';
import { meanLeading, sumLeading } from './reduce-leading.js';
import { tileBlocks } from './tile.js';
import { adamUpdate } from './adam-update.js';
import { leakyReluSimd } from './leaky-relu.js';
import { tanhSimd } from './tanh.js';
import { greaterScalar, selectSimd } from './elementwise.js';
import { ADAM_UPDATE_KERNEL } from '../../kernels/adam-kernel.js';
import { ORIGINAL_KERNEL, type OverridingKernelFunc } from './fast-matmul.js';
import type { WasmKernelArgs, WasmKernelFunc } from './wasm-backend.js';

/** A wasm kernel function with one or several outputs. */
export type WasmKernelFuncAny = (args: WasmKernelArgs) => tf.TensorInfo | tf.TensorInfo[];

/** Marks kernel functions registered by aigc, so registering twice (or from two module copies) is a no-op. */
const AIGC_KERNEL = Symbol.for('aigc.wasm.kernel');

type MarkedKernelFunc = OverridingKernelFunc & { [AIGC_KERNEL]?: string };

/** The wasm kernels aigc adds or replaces, by tfjs kernel name. */
export const WASM_KERNELS: Readonly<Record<string, WasmKernelFunc | WasmKernelFuncAny>> = {
  [ADAM_UPDATE_KERNEL]: adamUpdate,
  BatchMatMul: batchMatMul,
  Conv2DBackpropFilter: conv2DBackpropFilter,
  Conv2DBackpropInput: conv2DBackpropInput,
  _FusedMatMul: fusedMatMul,
  Greater: greaterScalar,
  Identity: identityShared,
  LeakyRelu: leakyReluSimd,
  Mean: meanLeading,
  Select: selectSimd,
  Sum: sumLeading,
  Tanh: tanhSimd,
  Tile: tileBlocks,
};

function install(kernelName: string, func: WasmKernelFuncAny): void {
  const existing = tf.getKernel(kernelName, 'wasm');
  const existingFunc = existing?.kernelFunc as unknown as MarkedKernelFunc | undefined;
  if (existingFunc?.[AIGC_KERNEL] !== undefined) return;
  const marked = ((args: WasmKernelArgs) => func(args)) as MarkedKernelFunc;
  marked[AIGC_KERNEL] = kernelName;
  if (existing !== undefined && existingFunc !== undefined) {
    marked[ORIGINAL_KERNEL] = existingFunc;
    tf.unregisterKernel(kernelName, 'wasm');
  }
  const config: tf.KernelConfig = {
    kernelName,
    backendName: 'wasm',
    kernelFunc: marked as unknown as tf.KernelFunc,
    ...(existing?.setupFunc ? { setupFunc: existing.setupFunc } : {}),
    ...(existing?.disposeFunc ? { disposeFunc: existing.disposeFunc } : {}),
  };
  tf.registerKernel(config);
}

/**
 * Registers aigc's wasm kernels (idempotent): a fast `Conv2DBackpropFilter` (missing from
 * tfjs-backend-wasm 4.22), an im2col `Conv2DBackpropInput`, a `BatchMatMul` whose transposed
 * cases use the XNNPACK path, faster `Sum`/`Mean` (leading axes), `Tile`, `Identity`, `LeakyRelu`,
 * `Greater` (against a scalar), `Select` and `Tanh` (a SIMD rational interpolant within 7 ulp), a `_FusedMatMul` and `BatchMatMul` that send the
 * shapes where it wins to aigc's SIMD GEMM, and the
 * fused Adam update `AigcAdamUpdate` used by aigc's `adam()` optimizer.
 * Call after importing `@tensorflow/tfjs-backend-wasm`.
 */
export function registerWasmKernels(): void {
  for (const [name, func] of Object.entries(WASM_KERNELS)) install(name, func);
}
