import type { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import { ownGemm } from './gemm-route.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * `_FusedMatMul` (tfjs-layers' `Dense`) for the wasm backend: unbatched float32 products with a
 * bias row and a linear or ReLU activation go to aigc's SIMD GEMM where it beats XNNPACK
 * (gemm-route.ts), and always those with a bias and a transpose flag, which the stock kernel gets
 * wrong; everything else, and all products when `AIGC_WASM_GEMM=0`, to the stock kernel.
 */
export function fusedMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const attrs = args.attrs ?? {};
  const activation = attrs['activation'] as string | undefined;
  const prelu = args.inputs['preluActivationWeights'];
  if ((activation === 'linear' || activation === 'relu' || activation === undefined) && prelu == null) {
    const bias = args.inputs['bias'] ?? undefined;
    const transposeA = Boolean(attrs['transposeA']);
    const transposeB = Boolean(attrs['transposeB']);
    // tfjs-backend-wasm 4.22 adds the bias wrongly when a transpose flag is set (errors of the bias' size), so those always come here.
    const own = ownGemm(args, transposeA, transposeB, bias, activation === 'relu', bias !== undefined && (transposeA || transposeB));
    if (own !== undefined) return own;
  }
  return stockKernel('_FusedMatMul')(args);
}
