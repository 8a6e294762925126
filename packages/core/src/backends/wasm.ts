import { tf } from '../tf.js';
import { BackendUnavailableError } from '../errors.js';
import { isNode, nodeBuiltin } from './env.js';
import type { BackendAdapter } from './types.js';
import { registerWasmKernels } from './wasm-kernels/index.js';
import { availableCores, nodeBuiltins, resolveThreadCount, startNodeWasmThreads } from './wasm-threads/index.js';
import { checkKeys } from '../options.js';

/** Options of {@link wasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Where the `.wasm` binaries live: a folder prefix or a map of file names to URLs. Defaults
   * to the installed `@tensorflow/tfjs-backend-wasm` folder in Node; in browsers, tfjs' default
   * (next to the script) unless you set it.
   */
  readonly wasmPaths?: string | Record<string, string>;
  /**
   * Run XNNPACK multi-threaded (tfjs-backend-wasm's threaded SIMD build): `true` for one thread
   * per core, or a thread count; capped at 8 (tfjs' pool). Default false (one thread).
   *
   * In Node the threads are `worker_threads` that aigc starts itself (tfjs 4.22 does not): the
   * first wasm use in the process decides, so pass it before anything else uses `'wasm'`; if
   * threads cannot start, `load()` throws a BackendUnavailableError saying why and what to do
   * (no silent single-thread fallback: to fall back, pass `[wasmBackend({ threads: true }), 'wasm']`).
   * In browsers the build needs cross-origin isolation (`SharedArrayBuffer`);
   * `true` keeps tfjs' own default count there, a number is passed to `setThreadsCount`.
   * Threads pay off when the cores are otherwise idle; on cores busy with other work they can
   * be slower than one thread (see docs/benchmarks.md, "Multi-threaded WASM in Node").
   */
  readonly threads?: boolean | number;
}

let wasmPathsSet = false;

function wasmDirInNode(): string {
  const mod = nodeBuiltin<{ createRequire(from: string): { resolve(id: string): string } }>('node:module');
  const path = nodeBuiltin<{ dirname(p: string): string; sep: string }>('node:path');
  if (!mod || !path) {
    throw new BackendUnavailableError('wasm', 'Node >= 20.16 is needed to locate the tfjs-backend-wasm binaries.');
  }
  const main = mod.createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
  return path.dirname(main) + path.sep;
}

/**
 * tfjs-backend-wasm (XNNPACK): the fastest CPU backend and the default in Node. Its `.wasm`
 * files ship in the npm package and are located automatically in Node.
 */
export function wasmBackend(options: WasmBackendOptions = {}): BackendAdapter {
  checkKeys('wasmBackend', options, { wasmPaths: true, threads: true });
  return {
    name: 'wasm',
    tfBackend: 'wasm',
    isAvailable: async () => typeof WebAssembly === 'object',
    load: async () => {
      let wasm: typeof import('@tensorflow/tfjs-backend-wasm');
      try {
        wasm = await import('@tensorflow/tfjs-backend-wasm');
      } catch (cause) {
        throw new BackendUnavailableError(
          'wasm',
          'Could not import @tensorflow/tfjs-backend-wasm. Reinstall @aigc/core (it depends on it) or use backend: "cpu".',
          { cause },
        );
      }
      // Adds Conv2DBackpropFilter (missing in tfjs-backend-wasm 4.22) and faster transposed matmul / conv-transpose kernels.
      registerWasmKernels();
      const paths = options.wasmPaths ?? (isNode() ? wasmDirInNode() : undefined);
      // The paths are read once, when tfjs first initializes the backend.
      if (paths !== undefined && !wasmPathsSet) {
        wasm.setWasmPaths(paths as string);
        wasmPathsSet = true;
      }
      if (isNode()) {
        const node = nodeBuiltins();
        const threads = resolveThreadCount(options.threads, node ? availableCores(node.os) : 1);
        if (threads > 1) await startNodeWasmThreads(wasm, node, threads);
        else tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
        return;
      }
      // Browsers: `true` keeps tfjs' own count (hardwareConcurrency / 2, at most 8); a number is passed on.
      const threads = resolveThreadCount(options.threads, 2);
      if (threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      else if (typeof options.threads === 'number') wasm.setThreadsCount(threads);
    },
  };
}
