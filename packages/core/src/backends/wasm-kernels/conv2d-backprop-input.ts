import type { tf } from '../../tf.js';
import { convGeometry, type ConvBackpropAttrs } from './conv-geometry.js';
import { matMulPlain } from './fast-matmul.js';
import { col2imAdd, col2imRunTable } from './layout.js';
import { transposeOnHeap } from './heap-ops.js';
import { simdKernelsOf } from './simd.js';
import { assertFloat32, heapOffset, release, type WasmKernelArgs } from './wasm-backend.js';

/**
 * `Conv2DBackpropInput` (also the forward pass of `conv2dTranspose`) for the wasm backend:
 * `col = dy @ W^T` by the backend's XNNPACK matmul, then col2im (run additions by WebAssembly
 * SIMD when the channel count is a multiple of 4, else in JS). Replaces the stock
 * kernel, a naive loop several times slower. NHWC only.
 */
export function conv2DBackpropInput(args: WasmKernelArgs): tf.TensorInfo {
  const { backend } = args;
  const dy = args.inputs['dy'] as tf.TensorInfo;
  const filter = args.inputs['filter'] as tf.TensorInfo;
  const attrs = args.attrs as unknown as ConvBackpropAttrs & { inputShape: [number, number, number, number] };
  assertFloat32('Conv2DBackpropInput', dy, filter);
  const filterShape = filter.shape as [number, number, number, number];
  const g = convGeometry('Conv2DBackpropInput', attrs.inputShape, filterShape, attrs);
  const patch = g.filterHeight * g.filterWidth * g.inChannels;
  const outChannels = filterShape[3];
  const positions = g.batch * g.outHeight * g.outWidth;
  const filterT = backend.makeOutput([outChannels, patch], 'float32');
  transposeOnHeap(backend, filter, filterT, 1, patch, outChannels);
  const col = matMulPlain(backend, dy, filterT, positions, outChannels, patch);
  release(backend, filterT);
  const dx = backend.makeOutput([...attrs.inputShape], 'float32');
  const simd = g.inChannels % 4 === 0 ? simdKernelsOf(backend) : null;
  if (simd === null) {
    col2imAdd(backend.typedArrayFromHeap(col), 0, g, backend.typedArrayFromHeap(dx), 0);
  } else {
    // The same additions in the same order, each channel run by WebAssembly SIMD.
    const table = backend.makeOutput([2 * positions * g.filterHeight * g.filterWidth], 'int32');
    const dxView = backend.typedArrayFromHeap(dx);
    dxView.fill(0);
    const pairs = col2imRunTable(g, new Int32Array(dxView.buffer), heapOffset(backend, table));
    simd.addRuns(dxView.byteOffset, heapOffset(backend, col) * 4, heapOffset(backend, table) * 4, pairs, g.inChannels * 4);
    release(backend, table);
  }
  release(backend, col);
  return dx;
}
