/**
 * How many XNNPACK threads the wasm backend uses: the `threads` option, else the
 * `AIGC_WASM_THREADS` environment variable, else the automatic rule of {@link autoThreads}.
 */
import type * as NodeOs from 'node:os';
import { InvalidArgumentError } from '../../errors.js';
import { MAX_WASM_THREADS } from './core-count.js';

/** The `threads` setting of `wasmBackend`: `'auto'` (the default), on (`true`, one per core), off (`false`) or a count. */
export type WasmThreadsSetting = boolean | number | 'auto';

/** Where a thread setting came from. */
export type WasmThreadsSource = 'option' | 'env' | 'default';

/** The environment variable that sets the default of `wasmBackend({ threads })` in Node: `auto`, `true`, `false` or a count. */
export const WASM_THREADS_ENV = 'AIGC_WASM_THREADS';

/**
 * Cores that must be idle at start for `'auto'` to choose threads: cores available to the process
 * minus the 1-minute load average must reach this (so 2 cores with a load under 0.5).
 */
export const AUTO_MIN_FREE_CORES = 1.5;

/** What the automatic rule looks at in Node. */
export interface ThreadProbe {
  /** Cores this process may run on (`os.availableParallelism()`, which honours CPU affinity). */
  readonly cores: number;
  /** The 1-minute load average (`os.loadavg()[0]`; always 0 on Windows). */
  readonly load: number;
}

/** The probe the automatic rule uses; tests replace `node` to stand in for other machines. */
export const threadProbe = {
  node(os: typeof NodeOs): ThreadProbe {
    const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
    return { cores: Math.max(1, cores), load: os.loadavg()[0] ?? 0 };
  },
};

/** A thread count and why it was chosen. */
export interface ThreadDecision {
  /** XNNPACK threads to start (1: the single-threaded build). */
  readonly threads: number;
  /** The rule, override or fallback that chose them, in words. */
  readonly reason: string;
}

/**
 * The automatic rule in Node: threads when at least {@link AUTO_MIN_FREE_CORES} cores are free
 * (available cores minus the 1-minute load average), as many as round that free count (at most
 * the cores and 8); one thread otherwise, since threads on busy cores wait for each other.
 */
export function autoThreads(probe: ThreadProbe): ThreadDecision {
  const { cores, load } = probe;
  const free = cores - Math.max(0, load);
  const loadText = `load average ${load.toFixed(2)}`;
  if (cores < 2) return { threads: 1, reason: `auto: 1 core available (os.availableParallelism() = ${cores})` };
  if (free < AUTO_MIN_FREE_CORES) {
    return { threads: 1, reason: `auto: ${loadText} leaves ${Math.max(0, free).toFixed(2)} of ${cores} cores free (threads need ${AUTO_MIN_FREE_CORES})` };
  }
  const threads = Math.min(cores, MAX_WASM_THREADS, Math.floor(free + 0.5));
  return { threads, reason: `auto: ${free.toFixed(2)} of ${cores} cores free (${loadText})` };
}

/**
 * Parses `AIGC_WASM_THREADS`: `auto`, `true`/`on`, `false`/`off` or a positive integer; undefined
 * or empty means unset. Throws an InvalidArgumentError naming the accepted values otherwise.
 */
export function parseThreadsEnv(value: string | undefined): WasmThreadsSetting | undefined {
  if (value === undefined) return undefined;
  const v = value.trim().toLowerCase();
  if (v === '') return undefined;
  if (v === 'auto') return 'auto';
  if (v === 'true' || v === 'on') return true;
  if (v === 'false' || v === 'off') return false;
  if (/^[1-9]\d*$/.test(v)) return Number(v);
  throw new InvalidArgumentError(
    WASM_THREADS_ENV,
    `${WASM_THREADS_ENV}=${JSON.stringify(value)} is not a thread setting. Set it to auto, true, false or a positive integer, or unset it.`,
  );
}

/** The setting in force and its source: an explicit option (other than `'auto'`) wins over the environment variable. */
export function threadsSetting(option: WasmThreadsSetting | undefined, env: string | undefined): { setting: WasmThreadsSetting; source: WasmThreadsSource } {
  if (option !== undefined && option !== 'auto') return { setting: option, source: 'option' };
  const fromEnv = parseThreadsEnv(env);
  if (fromEnv !== undefined) return { setting: fromEnv, source: 'env' };
  return { setting: 'auto', source: option === 'auto' ? 'option' : 'default' };
}

/** The environment variable's value in Node (undefined elsewhere). */
export function threadsEnv(): string | undefined {
  const p = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
  return p?.env?.[WASM_THREADS_ENV];
}
