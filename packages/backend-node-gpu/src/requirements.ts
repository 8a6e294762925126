/**
 * What @tensorflow/tfjs-node-gpu 4.22 needs from the system, from its README ("For GPU support,
 * tfjs-node-gpu requires: NVIDIA GPU drivers >450.x, CUDA Toolkit 11.2, cuDNN SDK 8.1.0"). Its
 * TensorFlow C library loads `libcudart.so.11.0` and `libcudnn.so.8` when it starts.
 */
export const NODE_GPU_REQUIREMENTS = {
  /** The npm package and its exact version. */
  package: '@tensorflow/tfjs-node-gpu@4.22.0',
  /** NVIDIA driver series. */
  driver: '450.x or newer',
  /** CUDA toolkit version (runtime library libcudart.so.11.0). */
  cuda: '11.2',
  /** cuDNN version (library libcudnn.so.8). */
  cudnn: '8.1.0',
  /** Operating systems with prebuilt GPU binaries. */
  platforms: 'Linux x64 or Windows x64',
} as const;

/** One sentence listing the GPU requirements, for error messages and docs. */
export function nodeGpuRequirementText(): string {
  const r = NODE_GPU_REQUIREMENTS;
  return (
    `${r.package} needs ${r.platforms} with an NVIDIA GPU, driver ${r.driver}, CUDA ${r.cuda} and cuDNN ${r.cudnn} ` +
    '(libcudart.so.11.0 and libcudnn.so.8 on the library path, e.g. LD_LIBRARY_PATH=/usr/local/cuda-11.2/lib64).'
  );
}

/** The fallback advice ending every error of this package. */
export function fallbackText(name: 'node' | 'node-gpu'): string {
  const list = name === 'node-gpu' ? "['node-gpu', 'node', 'wasm']" : "['node', 'wasm']";
  return (
    `To train anyway, use backend: ${list}: the first that initializes is used and reported as trainer.backend ` +
    "('wasm' ships with @aigc/core and needs nothing else)."
  );
}
