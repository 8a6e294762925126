import type { tf } from '../../tf.js';
import { tanhRational } from './tanh-rational.js';
import { unarySimd } from './unary.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * `Tanh` for the wasm backend: {@link tanhRational} (Eigen's float32 rational interpolant, within
 * 7 ulp of `tanh`) four lanes at a time with WebAssembly SIMD, several times faster than the stock
 * kernel's scalar `tanhf` on a generator's output layer. Non-float32 inputs, or no SIMD, go to the
 * stock kernel.
 */
export function tanhSimd(args: WasmKernelArgs): tf.TensorInfo {
  return unarySimd(args, 'Tanh', (k, src, dst, count4) => k.tanh(src, dst, count4), tanhRational);
}
