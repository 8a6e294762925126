import { BackendUnavailableError, dynamicImport, isModuleNotFound, type ModuleImporter } from '@aigc/core';
import { fallbackHint } from './fallback.js';
import { messageOf } from './message.js';

/** The part of `navigator.gpu` this adapter uses (kept local: no dependency on @webgpu/types). */
export interface GpuLike {
  requestAdapter(options?: { powerPreference?: 'low-power' | 'high-performance' }): Promise<unknown>;
}

/** The part of the npm package `webgpu` (Dawn for Node) this adapter uses. */
interface DawnModule {
  create(flags: string[]): GpuLike;
  globals: Record<string, unknown>;
}

let provided: GpuLike | undefined;

/**
 * In Node, makes `navigator.gpu` (and the WebGPU globals such as `GPUBufferUsage`) available
 * from the optional peer dependency `webgpu`. Runs once per process; later calls return the
 * same GPU object. Never picks a Vulkan driver itself: Dawn uses what the system provides.
 */
export async function provideNodeGpu(flags: readonly string[], importModule: ModuleImporter = dynamicImport): Promise<GpuLike> {
  if (provided) return provided;
  let dawn: DawnModule;
  try {
    dawn = (await importModule('webgpu')) as DawnModule;
  } catch (cause) {
    const missing = isModuleNotFound(cause, 'webgpu');
    throw new BackendUnavailableError(
      'webgpu',
      (missing
        ? 'WebGPU in Node needs the package "webgpu" (Dawn), which is not installed. Run `npm install webgpu`. '
        : `Loading the "webgpu" package (Dawn) failed: ${messageOf(cause)}. Reinstall it (npm install webgpu) on a supported platform (Linux x64, macOS, Windows). `) +
        fallbackHint('webgpu', false),
      { cause },
    );
  }
  if (typeof dawn?.create !== 'function' || typeof dawn.globals !== 'object') {
    throw new BackendUnavailableError('webgpu', 'The installed "webgpu" package does not export create() and globals; install webgpu >= 0.6.');
  }
  const g = globalThis as Record<string, unknown>;
  for (const [key, value] of Object.entries(dawn.globals)) {
    if (!(key in g)) g[key] = value;
  }
  const gpu = dawn.create([...flags]);
  const nav = g.navigator as Record<string, unknown> | undefined;
  if (nav === undefined) g.navigator = { gpu };
  else Object.defineProperty(nav, 'gpu', { value: gpu, configurable: true, enumerable: true, writable: true });
  provided = gpu;
  return gpu;
}

/** Forgets the provided GPU and removes `navigator.gpu`, so tests can stand in other Dawn modules. @internal */
export function resetNodeGpuForTests(): void {
  provided = undefined;
  const nav = (globalThis as unknown as { navigator?: Record<string, unknown> }).navigator;
  if (nav) delete nav.gpu;
}
