import type { tf } from '../../tf.js';
import { convGeometry, type ConvBackpropAttrs } from './conv-geometry.js';
import { matMulPlain } from './fast-matmul.js';
import { im2colRows, im2colTransposed } from './layout.js';
import { transposeOnHeap } from './heap-ops.js';
import { simdKernelsOf } from './simd.js';
import { assertFloat32, heapOffset, release, withShape, type WasmKernelArgs } from './wasm-backend.js';

/** Input channels from which im2col + transpose beats the tiled transposed im2col (runs of 16+ floats copy fast). */
const WIDE_INPUT = 16;

/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm 4.22 has none): the filter
 * gradient `dW = im2col(x)^T @ dy`, with the transposed im2col built on the wasm heap and
 * the product done by the backend's XNNPACK matmul. The big operand goes on the left because
 * XNNPACK repacks the right one on every call. NHWC only.
 */
export function conv2DBackpropFilter(args: WasmKernelArgs): tf.TensorInfo {
  const { backend } = args;
  const x = args.inputs['x'] as tf.TensorInfo;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvBackpropAttrs & { filterShape: [number, number, number, number] };
  assertFloat32('Conv2DBackpropFilter', x, dy);
  const filterShape = attrs.filterShape;
  const g = convGeometry('Conv2DBackpropFilter', x.shape as [number, number, number, number], filterShape, attrs);
  const patch = g.filterHeight * g.filterWidth * g.inChannels;
  const positions = g.batch * g.outHeight * g.outWidth;
  const colT = backend.makeOutput([patch, positions], 'float32');
  if (g.inChannels >= WIDE_INPUT && patch % 4 === 0 && positions % 4 === 0 && simdKernelsOf(backend) !== null) {
    // Plain im2col (block copies of channel runs), then a SIMD transpose: ~3x faster than the tiled loop.
    const col = backend.makeOutput([positions, patch], 'float32');
    im2colRows(new Float32Array(backend.typedArrayFromHeap(col).buffer), heapOffset(backend, x), g, heapOffset(backend, col));
    transposeOnHeap(backend, col, colT, 1, positions, patch);
    release(backend, col);
  } else {
    im2colTransposed(new Float32Array(backend.typedArrayFromHeap(colT).buffer), heapOffset(backend, x), g, heapOffset(backend, colT));
  }
  const dw = matMulPlain(backend, colT, dy, patch, positions, filterShape[3]);
  release(backend, colT);
  return withShape(dw, [...filterShape]);
}
