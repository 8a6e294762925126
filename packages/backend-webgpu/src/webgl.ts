import { BackendUnavailableError, checkKeys, tf, type BackendAdapter } from '@aigc/core';
import { isNode } from './env.js';
import { fallbackHint } from './fallback.js';
import { messageOf } from './message.js';

/** Options of {@link webglBackend}. */
export interface WebGlBackendOptions {
  /**
   * Refuse to run where the GPU cannot render float32 textures (tfjs would silently fall back to
   * float16, and training would drift from the other backends). Default true.
   */
  readonly requireFloat32?: boolean;
}

function canCreateWebGl(): boolean {
  const doc = (globalThis as { document?: { createElement(tag: string): { getContext(id: string): unknown } } }).document;
  if (doc === undefined) return false;
  try {
    const canvas = doc.createElement('canvas');
    return canvas.getContext('webgl2') != null || canvas.getContext('webgl') != null;
  } catch {
    return false;
  }
}

/**
 * WebGL through `@tensorflow/tfjs-backend-webgl`, for browsers without WebGPU. Browser only;
 * nothing is imported until `load()`, which fails clearly where WebGL (or float32 rendering) is missing.
 */
export function webglBackend(options: WebGlBackendOptions = {}): BackendAdapter {
  checkKeys('webglBackend', options, { requireFloat32: true });
  const requireFloat32 = options.requireFloat32 ?? true;
  return {
    name: 'webgl',
    tfBackend: 'webgl',
    isAvailable: async () => !isNode() && canCreateWebGl(),
    load: async () => {
      if (isNode()) {
        throw new BackendUnavailableError(
          'webgl',
          'The webgl backend needs a browser. In Node use "webgpu" (Dawn), "wasm", or "node" / "node-gpu" from @aigc/backend-node-gpu.',
        );
      }
      try {
        await import('@tensorflow/tfjs-backend-webgl');
      } catch (cause) {
        throw new BackendUnavailableError(
          'webgl',
          `Could not import @tensorflow/tfjs-backend-webgl: ${messageOf(cause)}. Reinstall @aigc/backend-webgpu (it depends on it).`,
          { cause },
        );
      }
      if (tf.env().getNumber('WEBGL_VERSION') === 0) {
        throw new BackendUnavailableError('webgl', `This browser has no usable WebGL context. ${fallbackHint('webgl', true)}`);
      }
      if (requireFloat32 && !tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
        throw new BackendUnavailableError(
          'webgl',
          'This GPU cannot render float32 textures, so WebGL training would run in float16 and drift from the other ' +
            `backends. Pass webglBackend({ requireFloat32: false }) to accept that. ${fallbackHint('webgl', true)}`,
        );
      }
    },
  };
}

/**
 * The old name of {@link webglBackend}.
 * @deprecated Use {@link webglBackend} (the `xxxBackend()` names match `cpuBackend()` and `wasmBackend()`); `webgl` goes in the next minor release.
 */
export function webgl(options: WebGlBackendOptions = {}): BackendAdapter {
  return webglBackend(options);
}
