import { BackendUnavailableError } from '@aigc/core';

const PATCHED = Symbol.for('aigc.webgpu.readSyncMessage');

interface ReadSyncOwner {
  readSync(dataId: unknown): unknown;
  [PATCHED]?: boolean;
}

/**
 * tfjs-backend-webgpu reads GPU data synchronously (`dataSync()`, `arraySync()`) through an
 * `OffscreenCanvas`, which Node lacks, and then fails with a bare ReferenceError. Where that
 * class is missing, turns the failure into an error that says to read asynchronously instead.
 */
export function explainSyncReadsWithoutCanvas(prototype: ReadSyncOwner): void {
  if (typeof (globalThis as { OffscreenCanvas?: unknown }).OffscreenCanvas !== 'undefined' || prototype[PATCHED]) return;
  const readSync = prototype.readSync;
  prototype.readSync = function (this: ReadSyncOwner, dataId: unknown) {
    try {
      return readSync.call(this, dataId);
    } catch (error) {
      if (!/OffscreenCanvas/.test((error as Error)?.message ?? '')) throw error;
      throw new BackendUnavailableError(
        'webgpu',
        'Synchronous reads (dataSync(), arraySync()) of GPU tensors are not supported by WebGPU in Node: tfjs-backend-webgpu ' +
          'needs OffscreenCanvas for them. Read with `await tensor.data()` / `await tensor.array()` instead.',
        { cause: error },
      );
    }
  };
  prototype[PATCHED] = true;
}
