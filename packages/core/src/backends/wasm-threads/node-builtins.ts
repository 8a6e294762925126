/** The Node built-in modules of the threaded wasm backend, through {@link nodeBuiltin} (no static `node:` imports). */
import type * as NodeBuffer from 'node:buffer';
import type * as NodeOs from 'node:os';
import type * as NodeWorkerThreads from 'node:worker_threads';
import { nodeBuiltin } from '../../platform/env.js';

/** The built-in modules the threaded wasm backend needs in Node. */
export interface NodeBuiltins {
  readonly os: typeof NodeOs;
  readonly buffer: typeof NodeBuffer;
  readonly workerThreads: typeof NodeWorkerThreads;
}

/** The built-ins, or null outside Node or on a Node without `process.getBuiltinModule`. */
export function nodeBuiltins(): NodeBuiltins | null {
  const os = nodeBuiltin<typeof NodeOs>('node:os');
  const buffer = nodeBuiltin<typeof NodeBuffer>('node:buffer');
  const workerThreads = nodeBuiltin<typeof NodeWorkerThreads>('node:worker_threads');
  if (!os || !buffer || !workerThreads) return null;
  return { os, buffer, workerThreads };
}
