import { tf } from '../../tf.js';
import { adamScalars, adamUpdateRange, type AdamUpdateAttrs } from '../../kernels/adam-kernel.js';
import { simdKernelsOf } from './simd.js';
import { assertFloat32, heapOffset, type WasmKernelArgs } from './wasm-backend.js';

/**
 * The fused Adam update (`AigcAdamUpdate`) for the wasm backend: reads the variable, both moments
 * and the gradient once and writes three fresh tensors (inputs are never modified; their data may
 * be shared). Runs a WebAssembly SIMD loop on the backend's heap, the remainder (and everything
 * where SIMD is unavailable) in JS with `Math.fround`; both equal tfjs' op sequence bit for bit.
 */
export function adamUpdate(args: WasmKernelArgs): tf.TensorInfo[] {
  const { backend } = args;
  const [x, m, v, g, acc1, acc2] = (['x', 'm', 'v', 'g', 'accBeta1', 'accBeta2'] as const).map((k) => args.inputs[k] as tf.TensorInfo) as [
    tf.TensorInfo,
    tf.TensorInfo,
    tf.TensorInfo,
    tf.TensorInfo,
    tf.TensorInfo,
    tf.TensorInfo,
  ];
  assertFloat32('AigcAdamUpdate', x, m, v, g, acc1, acc2);
  const n = tf.util.sizeFromShape(x.shape);
  const outX = backend.makeOutput([...x.shape], 'float32');
  const outM = backend.makeOutput([...x.shape], 'float32');
  const outV = backend.makeOutput([...x.shape], 'float32');
  // Views and offsets only after the last allocation (it may grow the heap).
  const heap = backend.typedArrayFromHeap(acc1);
  const s = adamScalars(args.attrs as unknown as AdamUpdateAttrs, heap[0] as number, backend.typedArrayFromHeap(acc2)[0] as number);
  const src = { x: heapOffset(backend, x), m: heapOffset(backend, m), v: heapOffset(backend, v), g: heapOffset(backend, g) };
  const dst = { x: heapOffset(backend, outX), m: heapOffset(backend, outM), v: heapOffset(backend, outV) };
  const simd = simdKernelsOf(backend)?.adam ?? null;
  let done = 0;
  if (simd !== null) {
    const count4 = n >>> 2;
    simd(src.x * 4, src.m * 4, src.v * 4, src.g * 4, dst.x * 4, dst.m * 4, dst.v * 4, count4, s.b1, s.c1, s.b2, s.c2, s.oneMinusAccBeta1, s.oneMinusAccBeta2, s.eps, s.negLr);
    done = count4 * 4;
  }
  if (done < n) {
    const whole = new Float32Array(heap.buffer);
    adamUpdateRange(s, whole, src, whole, dst, done, n);
  }
  return [outX, outM, outV];
}
