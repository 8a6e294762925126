import { tf } from '../../tf.js';

/** The parts of tfjs-backend-wasm's `BackendWasm` that our kernels use (it exports no type for them). */
export interface WasmBackendLike {
  /** Allocates an uninitialized tensor on the wasm heap. */
  makeOutput(shape: number[], dtype: tf.DataType): tf.TensorInfo;
  /** Releases one reference to `dataId` (frees it at zero). */
  disposeData(dataId: tf.DataId, force?: boolean): boolean;
  /** A Float32Array view of a tensor's heap memory; stale after the next allocation. */
  typedArrayFromHeap(info: tf.TensorInfo): Float32Array;
}

/** The kernel-function arguments tfjs passes to a wasm kernel. */
export interface WasmKernelArgs {
  readonly inputs: tf.NamedTensorInfoMap;
  readonly backend: WasmBackendLike;
  readonly attrs?: tf.NamedAttrMap;
}

/** A kernel function of the wasm backend. */
export type WasmKernelFunc = (args: WasmKernelArgs) => tf.TensorInfo;

/** Reinterprets `info`'s data under another shape of the same size (no copy, no new reference). */
export function withShape(info: tf.TensorInfo, shape: number[]): tf.TensorInfo {
  return { dataId: info.dataId, shape, dtype: info.dtype };
}

/** Frees a temporary made by {@link WasmBackendLike.makeOutput}. */
export function release(backend: WasmBackendLike, info: tf.TensorInfo): void {
  backend.disposeData(info.dataId);
}

/** Throws unless every input is float32 (the wasm matmul path handles only float32). */
export function assertFloat32(kernel: string, ...infos: tf.TensorInfo[]): void {
  for (const info of infos) {
    if (info.dtype !== 'float32') {
      throw new TypeError(`aigc wasm ${kernel}: only float32 tensors are supported, got ${info.dtype}. Cast the inputs to float32.`);
    }
  }
}

/** Index of `info`'s first element in a Float32Array over the whole wasm heap. */
export function heapOffset(backend: WasmBackendLike, info: tf.TensorInfo): number {
  return backend.typedArrayFromHeap(info).byteOffset >>> 2;
}
