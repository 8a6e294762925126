import { tf } from '../tf.js';
import { BackendUnavailableError } from '../errors.js';
import { isNode } from './env.js';
import type { BackendAdapter } from './types.js';
import { registerWasmKernels } from './wasm-kernels/index.js';

/** Options of {@link wasmBackend}. */
export interface WasmBackendOptions {
  /**
   * Where the `.wasm` binaries live: a folder prefix or a map of file names to URLs. Defaults
   * to the installed `@tensorflow/tfjs-backend-wasm` folder in Node; in browsers, tfjs' default
   * (next to the script) unless you set it.
   */
  readonly wasmPaths?: string | Record<string, string>;
  /** Use the multi-threaded build where the platform supports it (never in Node). Default false. */
  readonly threads?: boolean;
}

let wasmPathsSet = false;

function wasmDirInNode(): string {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as
    | { createRequire(from: string): { resolve(id: string): string } }
    | undefined;
  const path = proc?.getBuiltinModule?.('node:path') as { dirname(p: string): string; sep: string } | undefined;
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
      if (!options.threads || isNode()) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    },
  };
}
