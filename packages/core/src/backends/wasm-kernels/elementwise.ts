import { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import { simdKernelsOf } from './simd.js';
import { heapOffset, type WasmKernelArgs } from './wasm-backend.js';

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((d, i) => d === b[i]);

/** Byte address of a tensor's data on the wasm heap (for any dtype). */
function heapByte(args: WasmKernelArgs, info: tf.TensorInfo): number {
  return (args.backend.typedArrayFromHeap(info) as unknown as Uint8Array).byteOffset;
}

/**
 * `Greater` for the wasm backend: a float32 tensor against a one-element float32 tensor (the
 * `x > 0` masks of LeakyRelu and ReLU-family gradients) by WebAssembly SIMD, 16 values at a time;
 * every other case goes to the stock kernel. Same comparison, same bool bytes.
 */
export function greaterScalar(args: WasmKernelArgs): tf.TensorInfo {
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  const simd = a.dtype === 'float32' && b.dtype === 'float32' && tf.util.sizeFromShape(b.shape) === 1 && b.shape.length <= a.shape.length ? simdKernelsOf(args.backend) : null;
  if (simd === null) return stockKernel('Greater')(args);
  const n = tf.util.sizeFromShape(a.shape);
  const out = args.backend.makeOutput([...a.shape], 'bool');
  if (n === 0) return out;
  const s = Math.fround(args.backend.typedArrayFromHeap(b)[0] as number);
  const count16 = n >>> 4;
  const x0 = heapOffset(args.backend, a);
  const o0 = heapByte(args, out);
  simd.greaterScalar(x0 * 4, o0, count16, s);
  const heap = args.backend.typedArrayFromHeap(a);
  const bytes = new Uint8Array(heap.buffer);
  const floats = new Float32Array(heap.buffer);
  for (let i = count16 * 16; i < n; i++) bytes[o0 + i] = (floats[x0 + i] as number) > s ? 1 : 0;
  return out;
}

/**
 * `Select` (`tf.where`) for the wasm backend: a bool condition of the same shape as float32 `t`
 * and `e` by WebAssembly SIMD, 16 values at a time; other cases (broadcast conditions, other
 * dtypes) go to the stock kernel.
 */
export function selectSimd(args: WasmKernelArgs): tf.TensorInfo {
  const c = args.inputs['condition'] as tf.TensorInfo;
  const t = args.inputs['t'] as tf.TensorInfo;
  const e = args.inputs['e'] as tf.TensorInfo;
  const eligible = c.dtype === 'bool' && t.dtype === 'float32' && e.dtype === 'float32' && sameShape(c.shape, t.shape) && sameShape(t.shape, e.shape);
  const simd = eligible ? simdKernelsOf(args.backend) : null;
  if (simd === null) return stockKernel('Select')(args);
  const n = tf.util.sizeFromShape(t.shape);
  const out = args.backend.makeOutput([...t.shape], 'float32');
  if (n === 0) return out;
  const count16 = n >>> 4;
  const [c0, t0, e0, o0] = [heapByte(args, c), heapOffset(args.backend, t), heapOffset(args.backend, e), heapOffset(args.backend, out)];
  simd.select(c0, t0 * 4, e0 * 4, o0 * 4, count16);
  const floats = new Float32Array(args.backend.typedArrayFromHeap(out).buffer);
  const bytes = new Uint8Array(floats.buffer);
  for (let i = count16 * 16; i < n; i++) floats[o0 + i] = (floats[((bytes[c0 + i] as number) !== 0 ? t0 : e0) + i] as number);
  return out;
}
