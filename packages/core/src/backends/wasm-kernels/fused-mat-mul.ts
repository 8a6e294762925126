import type { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import { ownGemm } from './gemm-route.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * `_FusedMatMul` (tfjs-layers' `Dense`) for the wasm backend: unbatched float32 products with a
 * bias row and a linear or ReLU activation go to aigc's SIMD GEMM where it beats XNNPACK
 * (gemm-route.ts); everything else, and all products when `AIGC_WASM_GEMM=0`, to the stock kernel.
 */
export function fusedMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const attrs = args.attrs ?? {};
  const activation = attrs['activation'] as string | undefined;
  const prelu = args.inputs['preluActivationWeights'];
  if ((activation === 'linear' || activation === 'relu' || activation === undefined) && prelu == null) {
    const bias = args.inputs['bias'] ?? undefined;
    const own = ownGemm(args, Boolean(attrs['transposeA']), Boolean(attrs['transposeB']), bias, activation === 'relu');
    if (own !== undefined) return own;
  }
  return stockKernel('_FusedMatMul')(args);
}
