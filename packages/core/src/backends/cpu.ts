import type { BackendAdapter } from './types.js';

/** The pure-JavaScript `cpu` backend: slow but everywhere, and the reference for parity tests. */
export function cpuBackend(): BackendAdapter {
  return {
    name: 'cpu',
    tfBackend: 'cpu',
    isAvailable: async () => true,
    load: async () => {
      await import('@tensorflow/tfjs-backend-cpu');
    },
  };
}
