import { tf } from '../tf.js';
import { BackendUnavailableError } from '../errors.js';
import { isNode, nodeBuiltin } from '../platform/env.js';
import type { BackendAdapter } from './types.js';
import { registerWasmKernels } from './wasm-kernels/index.js';
import { availableCores, MAX_WASM_THREADS, nodeBuiltins, resolveThreadCount, startNodeWasmThreads } from './wasm-threads/index.js';
import {
  autoThreads,
  threadProbe,
  threadsEnv,
  threadsSetting,
  WASM_THREADS_ENV,
  type WasmThreadsSetting,
  type WasmThreadsSource,
} from './wasm-threads/choice.js';
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
   * XNNPACK threads (tfjs-backend-wasm's threaded SIMD build). Default `'auto'`: in Node, threads
   * when at least 1.5 cores are free at start (`os.availableParallelism()` minus the lower of the
   * 1-minute load average and the cores busy just now; as many as are free, at most 8), else one,
   * and one thread (reason recorded) if threads cannot start; in browsers, threads when the page
   * is cross-origin isolated.
   *
   * `true` (one per core), a count, or `false` (one thread) pin it; the `AIGC_WASM_THREADS`
   * environment variable (`auto`, `true`, `false` or a count) sets the default in Node. A pinned
   * count that cannot start makes `load()` throw a BackendUnavailableError saying why (fall back
   * with `[wasmBackend({ threads: true }), 'wasm']`). The first wasm use in a process decides
   * (tfjs initializes the module once); {@link wasmThreadsInfo} says what was chosen and why.
   */
  readonly threads?: WasmThreadsSetting;
  /** Print the thread choice once, when the backend loads: `true` for `console.info`, or a function for the line. Default false. */
  readonly log?: boolean | ((line: string) => void);
}

/** The thread count the wasm backend runs with, and how it was chosen (see {@link wasmThreadsInfo}). */
export interface WasmThreadsInfo {
  /** XNNPACK threads in use (1: single-threaded). */
  readonly threads: number;
  /** The setting that applied (`'auto'` unless pinned). */
  readonly setting: WasmThreadsSetting;
  /** Where the setting came from: the `threads` option, the `AIGC_WASM_THREADS` variable, or the default. */
  readonly source: WasmThreadsSource;
  /** Why this count, in words: the auto rule's inputs, the pin, or that the module already ran. */
  readonly reason: string;
  /** When `'auto'` chose threads that could not start: why (the backend then runs one thread). */
  readonly fallback?: string;
}

let threadsInfo: WasmThreadsInfo | undefined;
/** Why the threaded build failed to start in this process, if it did. */
let startFailure: string | undefined;

/**
 * How many threads the wasm backend of this process runs and why, once a wasm adapter has
 * loaded; undefined before. Process-wide, as tfjs initializes the wasm module once.
 */
export function wasmThreadsInfo(): WasmThreadsInfo | undefined {
  return threadsInfo;
}

/** The reason, with the fallback's when there was one. */
function reasonOf(info: WasmThreadsInfo): string {
  return `${info.reason}${info.fallback ? `; threads could not start: ${info.fallback}` : ''}`;
}

/** The log line of `wasmBackend({ log })`. */
function describeInfo(info: WasmThreadsInfo): string {
  const what = info.threads > 1 ? `${info.threads} XNNPACK threads` : 'one thread';
  const from = info.source === 'env' ? ` (${WASM_THREADS_ENV}=${String(info.setting)})` : '';
  return `aigc: wasm backend on ${what}${from}: ${reasonOf(info)}`;
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
  checkKeys('wasmBackend', options, { wasmPaths: true, threads: true, log: true });
  if (options.threads !== undefined && options.threads !== 'auto') resolveThreadCount(options.threads, 1);
  return {
    name: 'wasm',
    tfBackend: 'wasm',
    isAvailable: async () => typeof WebAssembly === 'object',
    info: () => (threadsInfo === undefined ? undefined : { name: 'wasm', threads: threadsInfo.threads, threadsReason: reasonOf(threadsInfo) }),
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
      const { setting, source } = threadsSetting(options.threads, isNode() ? threadsEnv() : undefined);
      const initialized = tf.engine().registry['wasm'] !== undefined;
      // Once the module runs, later loads keep the first choice (a pinned count it cannot honour still throws).
      const info = isNode() ? await startInNode(wasm, setting, source, initialized) : startInBrowser(wasm, setting, source, initialized);
      const first = threadsInfo === undefined;
      threadsInfo ??= info;
      if (options.log && first) (typeof options.log === 'function' ? options.log : console.info)(describeInfo(info));
    },
  };
}

type WasmModule = typeof import('@tensorflow/tfjs-backend-wasm');

/** The thread count tfjs' wasm module already runs with (it initializes once per process). */
function runningInfo(wasm: WasmModule, setting: WasmThreadsSetting, source: WasmThreadsSource): WasmThreadsInfo {
  const threads = wasm.getThreadsCount();
  return { threads, setting, source, reason: `the wasm backend already ran with ${threads > 1 ? `${threads} threads` : 'one thread'} in this process (tfjs initializes it once)` };
}

async function startInNode(wasm: WasmModule, setting: WasmThreadsSetting, source: WasmThreadsSource, initialized: boolean): Promise<WasmThreadsInfo> {
  const node = nodeBuiltins();
  if (setting !== 'auto') {
    const threads = resolveThreadCount(setting, node ? availableCores(node.os) : 1);
    if (threads > 1) {
      // Pinned: a failure to start throws (see WasmBackendOptions.threads).
      try {
        const actual = await startNodeWasmThreads(wasm, node, threads);
        return { threads: actual, setting, source, reason: `pinned to ${String(setting)}` };
      } catch (error) {
        if (!initialized) startFailure ??= (error as Error)?.message ?? String(error);
        throw error;
      }
    }
    if (initialized) return runningInfo(wasm, setting, source);
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return { threads: 1, setting, source, reason: `pinned to ${String(setting)}` };
  }
  if (initialized) return runningInfo(wasm, setting, source);
  if (!node) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return { threads: 1, setting, source, reason: 'auto: Node >= 20.16 (process.getBuiltinModule) is needed for threads' };
  }
  const decision = autoThreads(await threadProbe.node(node.os));
  if (decision.threads > 1 && startFailure !== undefined) {
    // An earlier start in this process failed; trying again would fail (or time out) again.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return { threads: 1, setting, source, reason: decision.reason, fallback: startFailure };
  }
  if (decision.threads <= 1) {
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    return { threads: 1, setting, source, reason: decision.reason };
  }
  try {
    const actual = await startNodeWasmThreads(wasm, node, decision.threads);
    return { threads: actual, setting, source, reason: decision.reason };
  } catch (error) {
    // startNodeWasmThreads has turned the threaded build off, so tf.setBackend('wasm') starts single-threaded.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    startFailure = (error as Error)?.message ?? String(error);
    return { threads: 1, setting, source, reason: decision.reason, fallback: startFailure };
  }
}

function startInBrowser(wasm: WasmModule, setting: WasmThreadsSetting, source: WasmThreadsSource, initialized: boolean): WasmThreadsInfo {
  if (initialized) return runningInfo(wasm, setting, source);
  if (setting === 'auto') {
    const isolated = (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated === true;
    if (!isolated) {
      tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
      return {
        threads: 1,
        setting,
        source,
        reason: 'auto: the page is not cross-origin isolated (serve it with Cross-Origin-Opener-Policy: same-origin and Cross-Origin-Embedder-Policy: require-corp for threads)',
      };
    }
    // tfjs' own count (hardwareConcurrency / 2, at most 8); the number in use is known once it initializes.
    const threads = Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor((globalThis.navigator?.hardwareConcurrency ?? 2) / 2)));
    return { threads, setting, source, reason: 'auto: the page is cross-origin isolated (tfjs runs hardwareConcurrency / 2 threads)' };
  }
  // Browsers: `true` keeps tfjs' own count (hardwareConcurrency / 2, at most 8); a number is passed on.
  const threads = resolveThreadCount(setting, 2);
  if (threads <= 1) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  else if (typeof setting === 'number') wasm.setThreadsCount(threads);
  return { threads, setting, source, reason: `pinned to ${String(setting)}` };
}
