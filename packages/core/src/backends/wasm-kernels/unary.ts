import { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import { simdKernelsOf, type SimdKernels } from './simd.js';
import { heapOffset, type WasmKernelArgs } from './wasm-backend.js';

/**
 * Runs a float32 element-wise kernel on the wasm heap: `simd` over the first `4 · ⌊n / 4⌋` values
 * (byte pointers, count of 4-lane groups), `scalar` on the rest. Non-float32 inputs, or no
 * WebAssembly SIMD, go to the stock kernel `name`.
 */
export function unarySimd(
  args: WasmKernelArgs,
  name: string,
  simd: (kernels: SimdKernels, src: number, dst: number, count4: number) => void,
  scalar: (v: number) => number,
): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  const kernels = x.dtype === 'float32' ? simdKernelsOf(args.backend) : null;
  if (kernels === null) return stockKernel(name)(args);
  const n = tf.util.sizeFromShape(x.shape);
  const out = args.backend.makeOutput([...x.shape], 'float32');
  if (n === 0) return out;
  const src = heapOffset(args.backend, x);
  const dst = heapOffset(args.backend, out);
  const count4 = n >>> 2;
  simd(kernels, src * 4, dst * 4, count4);
  const whole = new Float32Array(args.backend.typedArrayFromHeap(out).buffer);
  for (let i = count4 * 4; i < n; i++) whole[dst + i] = scalar(whole[src + i] as number);
  return out;
}
