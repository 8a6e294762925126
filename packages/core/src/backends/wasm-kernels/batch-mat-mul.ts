import type { tf } from '../../tf.js';
import { stockBatchMatMul } from './fast-matmul.js';
import { transposeBatched } from './layout.js';
import { release, type WasmKernelArgs } from './wasm-backend.js';

/** Copies `info` with its last two axes swapped into a new wasm tensor the caller owns. */
function transposed(args: WasmKernelArgs, info: tf.TensorInfo): tf.TensorInfo {
  const shape = info.shape;
  const rank = shape.length;
  const rows = shape[rank - 2] as number;
  const cols = shape[rank - 1] as number;
  const batch = shape.slice(0, -2).reduce((p, d) => p * d, 1);
  const outShape = [...shape.slice(0, -2), cols, rows];
  const out = args.backend.makeOutput(outShape, 'float32');
  transposeBatched(args.backend.typedArrayFromHeap(info), 0, args.backend.typedArrayFromHeap(out), 0, batch, rows, cols);
  return out;
}

/**
 * `BatchMatMul` for the wasm backend: with `transposeA`/`transposeB` set, the stock kernel runs
 * a scalar loop ~15x slower than its XNNPACK path, so the flagged operands are transposed
 * explicitly first and the product goes through the fast path. Unflagged calls pass straight through.
 */
export function batchMatMul(args: WasmKernelArgs): tf.TensorInfo {
  const stock = stockBatchMatMul();
  const a = args.inputs['a'] as tf.TensorInfo;
  const b = args.inputs['b'] as tf.TensorInfo;
  const transposeA = Boolean(args.attrs?.['transposeA']);
  const transposeB = Boolean(args.attrs?.['transposeB']);
  if ((!transposeA && !transposeB) || a.dtype !== 'float32' || b.dtype !== 'float32') return stock(args);
  const a2 = transposeA ? transposed(args, a) : a;
  const b2 = transposeB ? transposed(args, b) : b;
  try {
    return stock({ inputs: { a: a2, b: b2 }, backend: args.backend, attrs: { transposeA: false, transposeB: false } });
  } finally {
    if (transposeA) release(args.backend, a2);
    if (transposeB) release(args.backend, b2);
  }
}
