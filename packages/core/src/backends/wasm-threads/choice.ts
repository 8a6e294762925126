/**
 * How many XNNPACK threads the wasm backend uses: the `threads` option, else the
 * `AIGC_WASM_THREADS` environment variable, else the automatic rule of {@link autoThreads}.
 */
import type * as NodeOs from 'node:os';
import { InvalidArgumentError } from '../../errors.js';
import { MAX_WASM_THREADS } from './core-count.js';
import { nodeBuiltin } from '../../platform/env.js';

/** The `threads` setting of `wasmBackend`: `'auto'` (the default), on (`true`, one per core), off (`false`) or a count. */
export type WasmThreadsSetting = boolean | number | 'auto';

/** Where a thread setting came from. */
export type WasmThreadsSource = 'option' | 'env' | 'default';

/** The environment variable that sets the default of `wasmBackend({ threads })` in Node: `auto`, `true`, `false` or a count. */
export const WASM_THREADS_ENV = 'AIGC_WASM_THREADS';

/**
 * Cores that must be idle at start for `'auto'` to choose threads: cores available to the process
 * minus the cores in use (the 1-minute load average, or the busy cores measured just now where
 * that is lower) must reach this (so 2 cores with under half a core in use).
 */
export const AUTO_MIN_FREE_CORES = 1.5;

/** How long the Linux probe watches `/proc/stat` for the cores busy right now. */
export const BUSY_SAMPLE_MS = 200;

/** What the automatic rule looks at in Node. */
export interface ThreadProbe {
  /** Cores this process may run on (`os.availableParallelism()`, which honours CPU affinity). */
  readonly cores: number;
  /** The 1-minute load average (`os.loadavg()[0]`; always 0 on Windows). */
  readonly load: number;
  /**
   * Cores busy over the last {@link BUSY_SAMPLE_MS} ms, from `/proc/stat` (Linux; absent
   * elsewhere). The load average still counts work that ended up to a minute or two ago (say a
   * build just before), so the rule takes the lower of the two.
   */
  readonly busy?: number;
}

type FsLike = { readFileSync(path: string, encoding: 'utf8'): string };

/** Busy and total jiffies summed over all cores, and the core count, from `/proc/stat`; null where unreadable. */
function cpuTimes(fs: FsLike | undefined): { busy: number; total: number; cpus: number } | null {
  try {
    const text = fs?.readFileSync('/proc/stat', 'utf8');
    if (text === undefined) return null;
    const lines = text.split('\n');
    const fields = (lines[0] ?? '').trim().split(/\s+/);
    if (fields[0] !== 'cpu') return null;
    const v = fields.slice(1).map(Number);
    const total = v.slice(0, 8).reduce((a, b) => a + (Number.isFinite(b) ? b : 0), 0);
    const idle = (v[3] ?? 0) + (v[4] ?? 0);
    const cpus = lines.filter((l) => /^cpu\d+\s/.test(l)).length;
    return cpus > 0 && total > 0 ? { busy: total - idle, total, cpus } : null;
  } catch {
    return null;
  }
}

/** Cores busy (machine-wide) over `ms` milliseconds, or undefined where `/proc/stat` is unreadable. */
export async function busyCores(fs: FsLike | undefined, ms = BUSY_SAMPLE_MS): Promise<number | undefined> {
  const a = cpuTimes(fs);
  if (a === null) return undefined;
  await new Promise((resolve) => setTimeout(resolve, ms));
  const b = cpuTimes(fs);
  if (b === null || b.total <= a.total) return undefined;
  return ((b.busy - a.busy) / (b.total - a.total)) * b.cpus;
}

/** The probe the automatic rule uses; tests replace `node` to stand in for other machines. */
export const threadProbe: { node: (os: typeof NodeOs) => ThreadProbe | Promise<ThreadProbe> } = {
  async node(os) {
    const cores = Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
    const load = os.loadavg()[0] ?? 0;
    const busy = await busyCores(nodeBuiltin<FsLike>('node:fs'));
    return busy === undefined ? { cores, load } : { cores, load, busy };
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
 * (available cores minus the lower of the 1-minute load average and the cores busy just now), as
 * many as round that free count (at most the cores and 8); one thread otherwise, since threads on
 * busy cores wait for each other.
 */
export function autoThreads(probe: ThreadProbe): ThreadDecision {
  const { cores, load, busy } = probe;
  const used = Math.max(0, busy === undefined ? load : Math.min(load, busy));
  const free = cores - used;
  const seen = `load average ${load.toFixed(2)}${busy === undefined ? '' : `, ${busy.toFixed(2)} cores busy now`}`;
  if (cores < 2) return { threads: 1, reason: `auto: 1 core available (os.availableParallelism() = ${cores})` };
  if (free < AUTO_MIN_FREE_CORES) {
    return { threads: 1, reason: `auto: ${seen} leaves ${Math.max(0, free).toFixed(2)} of ${cores} cores free (threads need ${AUTO_MIN_FREE_CORES})` };
  }
  const threads = Math.min(cores, MAX_WASM_THREADS, Math.floor(free + 0.5));
  return { threads, reason: `auto: ${free.toFixed(2)} of ${cores} cores free (${seen})` };
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
