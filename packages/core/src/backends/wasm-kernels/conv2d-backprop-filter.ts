import type { tf } from '../../tf.js';
import { convGeometry, type ConvBackpropAttrs } from './conv-geometry.js';
import { matMulPlain } from './fast-matmul.js';
import { im2colTransposed } from './layout.js';
import { assertFloat32, heapOffset, release, withShape, type WasmKernelArgs } from './wasm-backend.js';

/**
 * `Conv2DBackpropFilter` for the wasm backend (tfjs-backend-wasm 4.22 has none): the filter
 * gradient `dW = im2col(x)^T @ dy`, with the transposed im2col built in JS on the wasm heap (see im2colTransposed) and
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
  const heap = new Float32Array(backend.typedArrayFromHeap(colT).buffer);
  im2colTransposed(heap, heapOffset(backend, x), g, heapOffset(backend, colT));
  const dw = matMulPlain(backend, colT, dy, patch, positions, filterShape[3]);
  release(backend, colT);
  return withShape(dw, [...filterShape]);
}
