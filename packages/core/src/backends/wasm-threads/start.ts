/**
 * Starts tfjs-backend-wasm's multi-threaded SIMD build (XNNPACK over pthreadpool) in Node.
 * tfjs 4.22 turns it off in Node (`WASM_HAS_MULTITHREAD_SUPPORT` is false there, tfjs issue
 * #3830); with the pthread worker of {@link installPthreadWorker} and the core count of
 * {@link withReportedCores} it runs. See docs/benchmarks.md, "Multi-threaded WASM in Node".
 */
import { tf } from '../../tf.js';
import { BackendUnavailableError } from '../../errors.js';
import { withReportedCores } from './core-count.js';
import type { NodeBuiltins } from './node-builtins.js';
import { installPthreadWorker } from './pthread-worker.js';
import { threadSupportProblem } from './support.js';

/** The parts of `@tensorflow/tfjs-backend-wasm`'s module that thread start-up uses. */
export interface WasmThreadsApi {
  /** Sets XNNPACK's pool size; read when the backend initializes. */
  setThreadsCount(threads: number): void;
  /** The pool size in use; throws before the backend has initialized. */
  getThreadsCount(): number;
}

/** Options of {@link startNodeWasmThreads}. */
export interface StartWasmThreadsOptions {
  /** Give up (BackendUnavailableError) if start-up takes longer. Default 60 s. */
  readonly timeoutMs?: number;
}

type BackendFactory = () => tf.KernelBackend | Promise<tf.KernelBackend>;

let starting: Promise<number> | null = null;

function unavailable(message: string, cause?: unknown): BackendUnavailableError {
  return new BackendUnavailableError('wasm', message, cause === undefined ? undefined : { cause });
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () =>
        reject(
          unavailable(
            `Multi-threaded wasm did not start within ${ms} ms (its pthread workers did not load). ` +
              'Use wasmBackend() without threads, and report the Node version.',
          ),
        ),
      ms,
    );
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function start(wasm: WasmThreadsApi, node: NodeBuiltins, threads: number, timeoutMs: number): Promise<number> {
  const entry = tf.engine().registryFactory['wasm'] as { factory: BackendFactory; priority: number } | undefined;
  if (!entry) throw unavailable('tfjs-backend-wasm is not registered: import @tensorflow/tfjs-backend-wasm first.');
  installPthreadWorker(node);
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', true);
  wasm.setThreadsCount(threads);
  const original = entry.factory;
  let backend: tf.KernelBackend;
  try {
    backend = await withTimeout(
      withReportedCores(node.os, threads, async () => original()),
      timeoutMs,
    );
  } catch (cause) {
    if (BackendUnavailableError.isInstance(cause)) throw cause;
    const reason = (cause as Error)?.message ?? String(cause);
    throw unavailable(`Multi-threaded wasm failed to start: ${reason}. Use wasmBackend() without threads.`, cause);
  }
  const actual = wasm.getThreadsCount();
  if (actual < 2) {
    throw unavailable(
      `Multi-threaded wasm started with ${actual} thread(s) instead of ${threads}: XNNPACK could not create its pthreads. ` +
        'Use wasmBackend() without threads.',
    );
  }
  // tf.setBackend('wasm') now picks up the instance started here.
  entry.factory = () => backend;
  return actual;
}

/**
 * Initializes the wasm backend multi-threaded with `threads` XNNPACK threads (2..8), without
 * making it the active backend (`tf.setBackend('wasm')` then uses it). Returns the thread
 * count in use. Once per process: tfjs initializes the wasm module once, so if it already
 * runs single-threaded this throws a BackendUnavailableError saying so; if it already runs
 * threaded, that count is returned. Also throws a BackendUnavailableError, with what to do,
 * where threads cannot start (no `SharedArrayBuffer`, shared wasm memory or `worker_threads`).
 */
export async function startNodeWasmThreads(
  wasm: WasmThreadsApi,
  node: NodeBuiltins | null,
  threads: number,
  options: StartWasmThreadsOptions = {},
): Promise<number> {
  if (tf.engine().registry['wasm'] !== undefined) {
    const actual = wasm.getThreadsCount();
    if (actual > 1) return actual;
    throw unavailable(
      'The wasm backend already runs single-threaded in this process, and tfjs initializes it only once. ' +
        'Ask for wasmBackend({ threads }) before anything else uses the wasm backend (e.g. in the first Trainer or useBackend call).',
    );
  }
  const problem = threadSupportProblem(node);
  if (problem !== null || node === null) throw unavailable(problem ?? 'Node built-ins are unavailable.');
  starting ??= start(wasm, node, threads, options.timeoutMs ?? 60_000).catch((error: unknown) => {
    starting = null;
    // A later plain wasmBackend() (e.g. the next entry of a fallback list) then starts single-threaded.
    tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    throw error;
  });
  return starting;
}
