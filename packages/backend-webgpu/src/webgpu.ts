import { BackendUnavailableError, checkKeys, dynamicImport, tf, type BackendAdapter, type ModuleImporter } from '@aigc/core';
import { isNode } from './env.js';
import { fallbackHint } from './fallback.js';
import { messageOf } from './message.js';
import { provideNodeGpu, type GpuLike } from './node-gpu-provider.js';
import { explainSyncReadsWithoutCanvas } from './read-sync.js';
import { failReadsOnDeviceErrors } from './device-errors.js';
import { registerChunkedAddN } from './add-n.js';

/** Options of {@link webgpuBackend}. */
export interface WebGpuBackendOptions {
  /** Ask for the low-power GPU (integrated) rather than the high-performance one. Default false. */
  readonly lowPower?: boolean;
  /** Node only: flags for the Dawn instance (`create(flags)` of the `webgpu` package), e.g. `['backend=vulkan']`. Default none. */
  readonly dawnFlags?: readonly string[];
  /** How the optional `webgpu` package is imported in Node (for tests and unusual bundlers). Default dynamic `import()`. */
  readonly importModule?: ModuleImporter;
}

function existingGpu(): GpuLike | undefined {
  return (globalThis as { navigator?: { gpu?: GpuLike } }).navigator?.gpu ?? undefined;
}

function noAdapterMessage(node: boolean): string {
  if (node) {
    return (
      'Dawn (the "webgpu" package) found no GPU adapter. On Linux Dawn uses Vulkan: install libvulkan1 and a Vulkan driver ' +
      '(the GPU vendor driver, e.g. NVIDIA\'s, or mesa-vulkan-drivers), or a software Vulkan implementation ' +
      '(lavapipe from mesa-vulkan-drivers, or SwiftShader) and select it with VK_ICD_FILENAMES=/path/to/its_icd.json. ' +
      'On Windows Dawn uses D3D12 and on macOS Metal; update the GPU driver. ' +
      fallbackHint('webgpu', false)
    );
  }
  return (
    'This browser exposes WebGPU but navigator.gpu.requestAdapter() returned no adapter ' +
    '(the GPU or driver is blocklisted, or hardware acceleration is off). ' +
    fallbackHint('webgpu', true)
  );
}

async function gpuOrThrow(options: WebGpuBackendOptions): Promise<GpuLike> {
  const gpu = existingGpu();
  if (gpu) return gpu;
  if (isNode()) return provideNodeGpu(options.dawnFlags ?? [], options.importModule ?? dynamicImport);
  throw new BackendUnavailableError(
    'webgpu',
    'This browser does not expose WebGPU (navigator.gpu is missing). WebGPU needs a secure context (https:// or ' +
      'http://localhost) and a browser with WebGPU enabled. ' +
      fallbackHint('webgpu', true),
  );
}

/**
 * WebGPU through `@tensorflow/tfjs-backend-webgpu`: the browser's `navigator.gpu`, or in Node
 * the Dawn implementation from the optional package `webgpu`. Nothing is imported or registered
 * until `load()`; it fails with a BackendUnavailableError that says how to get an adapter.
 */
export function webgpuBackend(options: WebGpuBackendOptions = {}): BackendAdapter {
  checkKeys('webgpuBackend', options, { lowPower: true, dawnFlags: true, importModule: true });
  const powerPreference = options.lowPower ? 'low-power' : 'high-performance';
  return {
    name: 'webgpu',
    tfBackend: 'webgpu',
    isAvailable: async () => {
      try {
        const gpu = await gpuOrThrow(options);
        return (await gpu.requestAdapter({ powerPreference })) != null;
      } catch {
        return false;
      }
    },
    load: async () => {
      const gpu = await gpuOrThrow(options);
      let adapter: unknown;
      let backendModule: typeof import('@tensorflow/tfjs-backend-webgpu');
      try {
        adapter = await gpu.requestAdapter({ powerPreference });
      } catch (cause) {
        throw new BackendUnavailableError('webgpu', `requestAdapter() failed: ${messageOf(cause)}. ${noAdapterMessage(isNode())}`, { cause });
      }
      if (adapter == null) throw new BackendUnavailableError('webgpu', noAdapterMessage(isNode()));
      try {
        // Registers the 'webgpu' factory with tfjs-core; it checks navigator.gpu when imported.
        backendModule = await import('@tensorflow/tfjs-backend-webgpu');
      } catch (cause) {
        throw new BackendUnavailableError(
          'webgpu',
          `Could not import @tensorflow/tfjs-backend-webgpu: ${messageOf(cause)}. Reinstall @aigc/backend-webgpu (it depends on it).`,
          { cause },
        );
      }
      if (tf.findBackendFactory('webgpu') == null) {
        throw new BackendUnavailableError(
          'webgpu',
          '@tensorflow/tfjs-backend-webgpu did not register "webgpu" with the tfjs-core that aigc uses: either it was ' +
            'imported before navigator.gpu existed (do not import it yourself; backend: "webgpu" loads it), or two copies ' +
            'of @tensorflow/tfjs-core are installed (`npm ls @tensorflow/tfjs-core` must show one 4.22.0).',
        );
      }
      tf.env().set('WEBGPU_USE_LOW_POWER_GPU', options.lowPower === true);
      // Guards around tfjs-backend-webgpu 4.22 so that it never returns silently wrong results.
      const prototype = backendModule.WebGPUBackend.prototype as unknown as Parameters<typeof failReadsOnDeviceErrors>[0];
      explainSyncReadsWithoutCanvas(prototype as unknown as Parameters<typeof explainSyncReadsWithoutCanvas>[0]);
      failReadsOnDeviceErrors(prototype);
      registerChunkedAddN();
    },
  };
}

/**
 * The old name of {@link webgpuBackend}.
 * @deprecated Use {@link webgpuBackend} (the `xxxBackend()` names match `cpuBackend()` and `wasmBackend()`); `webgpu` goes in the next minor release.
 */
export function webgpu(options: WebGpuBackendOptions = {}): BackendAdapter {
  return webgpuBackend(options);
}
