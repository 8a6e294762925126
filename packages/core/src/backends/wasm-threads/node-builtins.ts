/**
 * Node built-in modules, reached through `process.getBuiltinModule` (Node >= 20.16) so this
 * code stays out of browser bundles' module graphs (no static `node:` imports).
 */
import type * as NodeBuffer from 'node:buffer';
import type * as NodeOs from 'node:os';
import type * as NodeWorkerThreads from 'node:worker_threads';

/** The built-in modules the threaded wasm backend needs in Node. */
export interface NodeBuiltins {
  readonly os: typeof NodeOs;
  readonly buffer: typeof NodeBuffer;
  readonly workerThreads: typeof NodeWorkerThreads;
}

/** The built-ins, or null outside Node or on a Node without `process.getBuiltinModule`. */
export function nodeBuiltins(): NodeBuiltins | null {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const load = proc?.getBuiltinModule;
  if (typeof load !== 'function') return null;
  const os = load.call(proc, 'node:os') as typeof NodeOs | undefined;
  const buffer = load.call(proc, 'node:buffer') as typeof NodeBuffer | undefined;
  const workerThreads = load.call(proc, 'node:worker_threads') as typeof NodeWorkerThreads | undefined;
  if (!os || !buffer || !workerThreads) return null;
  return { os, buffer, workerThreads };
}
