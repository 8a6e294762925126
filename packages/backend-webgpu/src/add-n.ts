import { tf } from '@aigc/core';

type KernelFunc = tf.KernelConfig['kernelFunc'];

interface WebGpuLike {
  readonly device: { readonly limits: { readonly maxStorageBuffersPerShaderStage: number } };
  disposeData(dataId: object, force?: boolean): boolean;
}

const PATCHED = Symbol.for('aigc.webgpu.chunkedAddN');

/**
 * tfjs-backend-webgpu 4.22 compiles `addN` of any number of tensors into one shader with one
 * storage buffer per input; past the device limit (8 buffers by default, so 8+ inputs) the
 * pipeline is invalid and the result silently reads as zeros. Re-registers `AddN` for 'webgpu'
 * to sum in chunks that fit the limit (exact same float32 additions, grouped).
 */
export function registerChunkedAddN(): void {
  const original = tf.getKernel('AddN', 'webgpu') as (tf.KernelConfig & { [PATCHED]?: boolean }) | undefined;
  if (!original || original[PATCHED]) return;
  const base: KernelFunc = original.kernelFunc;
  const kernelFunc: KernelFunc = (args) => {
    const inputs = args.inputs as unknown as tf.TensorInfo[];
    const backend = args.backend as unknown as WebGpuLike;
    const max = Math.max(2, backend.device.limits.maxStorageBuffersPerShaderStage - 1);
    if (inputs.length <= max) return base(args);
    const sum = (chunk: tf.TensorInfo[]) => base({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
    const made = new Set<tf.TensorInfo>();
    let level: tf.TensorInfo[] = inputs;
    while (level.length > max) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < level.length; i += max) {
        const chunk = level.slice(i, i + max);
        if (chunk.length === 1) next.push(chunk[0] as tf.TensorInfo);
        else {
          const partial = sum(chunk);
          made.add(partial);
          next.push(partial);
        }
      }
      level = next;
    }
    const out = sum(level);
    for (const t of made) backend.disposeData(t.dataId);
    return out;
  };
  tf.unregisterKernel('AddN', 'webgpu');
  tf.registerKernel({ ...original, kernelFunc, [PATCHED]: true } as tf.KernelConfig);
}
