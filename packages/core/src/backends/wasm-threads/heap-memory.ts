/**
 * Where the wasm heap lives. The single-threaded builds export their memory
 * (`Module.asm.memory`); the threaded build imports a shared one that it keeps as
 * `Module.wasmMemory` and exports none. Code written for the former (aigc's SIMD wasm kernels
 * look the heap up there to run their own WebAssembly on it) then finds no memory and falls
 * back to slower JavaScript loops: with 2 threads the MLP GAN's Adam update took 7x longer.
 */
import type { tf } from '../../tf.js';

interface EmscriptenModuleLike {
  asm?: Record<string, unknown>;
  wasmMemory?: unknown;
}

/**
 * Makes `backend.wasm.asm.memory` the threaded build's shared heap memory, as in the
 * single-threaded builds (`asm` is the frozen exports object, so it is replaced by a copy with
 * the same functions). Returns whether the heap is reachable there afterwards.
 */
export function exposeHeapMemory(backend: tf.KernelBackend): boolean {
  const mod = (backend as unknown as { wasm?: EmscriptenModuleLike }).wasm;
  const asm = mod?.asm;
  if (!mod || !asm) return false;
  if (asm['memory'] instanceof WebAssembly.Memory) return true;
  if (!(mod.wasmMemory instanceof WebAssembly.Memory)) return false;
  mod.asm = { ...asm, memory: mod.wasmMemory };
  return true;
}
