/** The backend menu of the page (names only, so the main thread does not bundle the adapters). */

/** Choices of the backend menu; `'auto'` is the fallback chain. */
export const BACKEND_CHOICES = ['auto', 'webgpu', 'webgl', 'wasm', 'cpu'] as const;

/** The fallback chain of `'auto'`: the GPU first, then WebGL, then WebAssembly, then plain JS. */
export const AUTO_CHAIN = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
