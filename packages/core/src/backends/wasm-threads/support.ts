/** Whether this Node process can run tfjs-backend-wasm's threaded build. */
import type { NodeBuiltins } from './node-builtins.js';

/**
 * Why threads cannot start here, with what to do, or null when they can: the build needs
 * `SharedArrayBuffer`, shared `WebAssembly.Memory`, `worker_threads` with eval workers and
 * `blob:` URLs (`URL.createObjectURL`, `buffer.resolveObjectURL`).
 */
export function threadSupportProblem(node: NodeBuiltins | null): string | null {
  if (!node) {
    return 'Node >= 20.16 (process.getBuiltinModule) is needed for multi-threaded wasm. Upgrade Node, or use wasmBackend() without threads.';
  }
  if (typeof SharedArrayBuffer !== 'function') {
    return (
      'SharedArrayBuffer is unavailable in this process (was Node started with --no-harmony-sharedarraybuffer?). ' +
      'Remove that flag, or use wasmBackend() without threads.'
    );
  }
  try {
    new WebAssembly.Memory({ initial: 1, maximum: 1, shared: true });
  } catch (cause) {
    return `Shared WebAssembly memory is unavailable (${(cause as Error)?.message ?? String(cause)}). Use wasmBackend() without threads.`;
  }
  if (typeof node.workerThreads.Worker !== 'function') {
    return 'node:worker_threads has no Worker in this runtime. Use wasmBackend() without threads.';
  }
  if (typeof URL.createObjectURL !== 'function' || typeof node.buffer.resolveObjectURL !== 'function' || typeof Blob !== 'function') {
    return 'This runtime lacks blob: URLs (URL.createObjectURL / buffer.resolveObjectURL). Use Node >= 20, or wasmBackend() without threads.';
  }
  return null;
}
