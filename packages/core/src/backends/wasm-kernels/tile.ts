import { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/**
 * `Tile` for the wasm backend by block copies (the stock kernel computes every output index,
 * and batch-norm gradients tile whole activations). Works on 4-byte dtypes bit-exactly via an
 * Int32 view; other dtypes go to the stock kernel.
 */
export function tileBlocks(args: WasmKernelArgs): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  const reps = args.attrs?.['reps'] as number[];
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return stockKernel('Tile')(args);
  const rank = x.shape.length;
  const outShape = x.shape.map((d, i) => d * (reps[i] as number));
  const out = args.backend.makeOutput(outShape, x.dtype);
  const total = tf.util.sizeFromShape(outShape);
  if (total === 0) return out;
  const heap = new Int32Array(args.backend.typedArrayFromHeap(out).buffer);
  const src0 = args.backend.typedArrayFromHeap(x).byteOffset >>> 2;
  const dst0 = args.backend.typedArrayFromHeap(out).byteOffset >>> 2;
  const inStride = new Array<number>(rank).fill(1);
  const outStride = new Array<number>(rank).fill(1);
  for (let i = rank - 2; i >= 0; i--) {
    inStride[i] = (inStride[i + 1] as number) * (x.shape[i + 1] as number);
    outStride[i] = (outStride[i + 1] as number) * (outShape[i + 1] as number);
  }
  const fill = (dim: number, src: number, dst: number): void => {
    const n = x.shape[dim] as number;
    if (dim === rank - 1) {
      for (let i = 0; i < n; i++) heap[dst + i] = heap[src + i] as number;
    } else {
      for (let i = 0; i < n; i++) fill(dim + 1, src + i * (inStride[dim] as number), dst + i * (outStride[dim] as number));
    }
    const block = n * (outStride[dim] as number);
    for (let r = 1; r < (reps[dim] as number); r++) heap.copyWithin(dst + r * block, dst, dst + block);
  };
  fill(0, src0, dst0);
  return out;
}
