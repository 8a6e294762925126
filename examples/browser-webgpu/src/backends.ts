/**
 * The backends the page offers, as adapter objects: in a bundle, core cannot find
 * `@aigc/backend-webgpu` by a run-time import, so the page imports it and passes the adapters.
 */
import { cpuBackend, wasmBackend, type BackendAdapter } from '@aigc/core';
import { webglBackend, webgpuBackend } from '@aigc/backend-webgpu';
import { AUTO_CHAIN } from './backends-menu.js';
import wasmUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';


/** The wasm binaries, emitted by Vite as assets, by the file names tfjs asks for. */
const wasmPaths: Record<string, string> = {
  'tfjs-backend-wasm.wasm': new URL(wasmUrl, self.location.href).href,
  'tfjs-backend-wasm-simd.wasm': new URL(wasmSimdUrl, self.location.href).href,
  'tfjs-backend-wasm-threaded-simd.wasm': new URL(wasmThreadedUrl, self.location.href).href,
};

/** Builds the adapter for one backend name. */
export function adapterFor(name: string): BackendAdapter {
  switch (name) {
    case 'webgpu':
      return webgpuBackend();
    case 'webgl':
      return webglBackend();
    case 'wasm':
      return wasmBackend({ wasmPaths });
    default:
      return cpuBackend();
  }
}

/** The adapters to try, in order, for a menu choice. */
export function backendChain(choice: string): BackendAdapter[] {
  const names: readonly string[] = choice === 'auto' ? AUTO_CHAIN : [choice];
  return names.map(adapterFor);
}
