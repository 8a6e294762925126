import { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import { simdKernelsOf } from './simd.js';
import { heapOffset, release, type WasmBackendLike, type WasmKernelArgs, type WasmKernelFunc } from './wasm-backend.js';

/** The number of leading axes reduced, or -1 unless `axis` is exactly the axes 0..k-1. */
function leadingAxes(axis: number | number[], shape: number[]): number {
  const axes = tf.util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  return axes.every((a, i) => a === i) ? axes.length : -1;
}

/**
 * Column sums of a row-major `rows x cols` float32 wasm tensor in float64, adding the rows in order:
 * by WebAssembly SIMD on the heap when `cols` is a multiple of 4 (same sums, ~5x faster), else in JS.
 */
function sumRows(backend: WasmBackendLike, x: tf.TensorInfo, rows: number, cols: number): Float64Array {
  const simd = cols % 4 === 0 ? simdKernelsOf(backend) : null;
  if (simd !== null) {
    const scratch = backend.makeOutput([2 * cols], 'float32');
    const view = backend.typedArrayFromHeap(scratch);
    if (view.byteOffset % 8 === 0) {
      view.fill(0);
      simd.sumRows(heapOffset(backend, x) * 4, view.byteOffset, rows, cols);
      const acc = new Float64Array(view.buffer, view.byteOffset, cols).slice();
      release(backend, scratch);
      return acc;
    }
    release(backend, scratch);
  }
  const src = backend.typedArrayFromHeap(x);
  const acc = new Float64Array(cols);
  for (let r = 0, base = 0; r < rows; r++, base += cols) {
    for (let c = 0; c < cols; c++) (acc[c] as number) += src[base + c] as number;
  }
  return acc;
}

/**
 * Sums (or averages) a float32 tensor over its leading axes with one contiguous pass in JS.
 * The stock wasm reductions first transpose the reduced axes to the end with a slow generic
 * transpose, which dominated bias and batch-norm gradients of NHWC convolutions.
 */
function reduceLeading(kernelName: 'Sum' | 'Mean', args: WasmKernelArgs): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  const axis = args.attrs?.['axis'] as number | number[];
  const keepDims = Boolean(args.attrs?.['keepDims']);
  const k = x.dtype === 'float32' && x.shape.length > 1 ? leadingAxes(axis, x.shape) : -1;
  if (k <= 0 || k === x.shape.length) return stockKernel(kernelName)(args);
  const rows = tf.util.sizeFromShape(x.shape.slice(0, k));
  const tail = x.shape.slice(k);
  const cols = tf.util.sizeFromShape(tail);
  const outShape = keepDims ? [...x.shape.slice(0, k).map(() => 1), ...tail] : tail;
  const out = args.backend.makeOutput(outShape, 'float32');
  const acc = sumRows(args.backend, x, rows, cols);
  const dst = args.backend.typedArrayFromHeap(out);
  const scale = kernelName === 'Mean' ? 1 / rows : 1;
  for (let c = 0; c < cols; c++) dst[c] = (acc[c] as number) * scale;
  return out;
}

/** `Sum` for the wasm backend: leading-axis float32 sums in one pass, the rest by the stock kernel. */
export const sumLeading: WasmKernelFunc = (args) => reduceLeading('Sum', args);

/** `Mean` for the wasm backend: leading-axis float32 means in one pass, the rest by the stock kernel. */
export const meanLeading: WasmKernelFunc = (args) => reduceLeading('Mean', args);
