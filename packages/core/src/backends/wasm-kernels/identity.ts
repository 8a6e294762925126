import type { tf } from '../../tf.js';
import { stockKernel } from './fast-matmul.js';
import type { WasmKernelArgs } from './wasm-backend.js';

/** What `Identity` needs beyond {@link WasmKernelArgs}' backend: a reference count to share data. */
interface RefCounting {
  incRef(dataId: tf.DataId): void;
}

/**
 * `Identity` for the wasm backend: shares the input's memory (one more reference) instead of
 * copying it, as the cpu backend and the wasm `Reshape` do. Tensors are immutable, so this is safe.
 */
export function identityShared(args: WasmKernelArgs): tf.TensorInfo {
  const x = args.inputs['x'] as tf.TensorInfo;
  if (x.dtype === 'string') return stockKernel('Identity')(args);
  (args.backend as unknown as RefCounting).incRef(x.dataId);
  return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
}
