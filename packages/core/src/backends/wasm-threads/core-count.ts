/**
 * Thread counts. tfjs-backend-wasm 4.22 caps XNNPACK's pool at `min(requested, 8, cores / 2)`,
 * where "cores" is Emscripten's `emscripten_num_logical_cores()` — `os.cpus().length` in Node —
 * halved on the guess that every core is hyper-threaded. On a 2-core machine that leaves one
 * thread whatever `setThreadsCount` says, so {@link withReportedCores} makes `os.cpus()` report
 * enough cores while the module initializes (it reads the count once, then).
 */
import type * as NodeOs from 'node:os';
import { InvalidArgumentError } from '../../errors.js';

/** Most threads tfjs-backend-wasm runs: Emscripten pre-starts 8 workers and tfjs caps its pool there. */
export const MAX_WASM_THREADS = 8;

/** Logical cores available to this process (`os.availableParallelism()`, else `os.cpus().length`). */
export function availableCores(os: typeof NodeOs): number {
  const n = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(1, n);
}

/**
 * The XNNPACK thread count for a `threads` option: 1 for `false`/`undefined`, the core count for
 * `true`, the number itself otherwise; capped at {@link MAX_WASM_THREADS}. Throws an
 * InvalidArgumentError for a number that is not a positive integer.
 */
export function resolveThreadCount(threads: boolean | number | undefined, cores: number): number {
  if (threads === undefined || threads === false) return 1;
  if (threads === true) return Math.min(Math.max(1, Math.floor(cores)), MAX_WASM_THREADS);
  if (!Number.isInteger(threads) || threads < 1) {
    throw new InvalidArgumentError(
      'threads',
      `wasmBackend({ threads }) must be 'auto', true, false or a positive integer, got ${JSON.stringify(threads) ?? String(threads)}.`,
    );
  }
  return Math.min(threads, MAX_WASM_THREADS);
}

/**
 * Runs `start` with `os.cpus()` reporting at least `2 * threads` entries (so tfjs' `cores / 2`
 * cap allows `threads`), restoring it when `start` settles. Other callers of `os.cpus()` in the
 * process see the padded list meanwhile (only during backend start-up).
 */
export async function withReportedCores<T>(os: typeof NodeOs, threads: number, start: () => Promise<T>): Promise<T> {
  const original = os.cpus;
  const real = original.call(os);
  const wanted = 2 * threads;
  if (real.length >= wanted || real.length === 0) return start();
  const padded = (): NodeOs.CpuInfo[] => {
    const list = original.call(os);
    const filler = list[0] ?? real[0]!;
    return list.length >= wanted ? list : [...list, ...Array.from({ length: wanted - list.length }, () => filler)];
  };
  (os as { cpus: typeof os.cpus }).cpus = padded;
  try {
    return await start();
  } finally {
    (os as { cpus: typeof os.cpus }).cpus = original;
  }
}
