/**
 * Stand-ins for @tensorflow/tfjs-node(-gpu), which cannot be installed here (their install
 * downloads libtensorflow). Like the real packages, importing one registers a tfjs backend named
 * 'tensorflow'; ours is tfjs' cpu backend under that name, with tfjs-node's `isUsingGpuDevice` flag.
 */
import { MathBackendCPU } from '@tensorflow/tfjs-backend-cpu';
import { tf, type ModuleImporter } from '@aigc/core';
import { TENSORFLOW_BACKEND } from './tensorflow.js';

/** tfjs' cpu backend posing as tfjs-node's NodeJSKernelBackend. */
class FakeTensorflowBackend extends MathBackendCPU {
  constructor(readonly isUsingGpuDevice: boolean) {
    super();
  }
}

/** An importer that "installs" `installed` packages; `gpu` says whether TensorFlow found a GPU. */
export function fakeTfjsNode(installed: readonly string[], gpu = true): ModuleImporter & { imported: string[] } {
  const imported: string[] = [];
  const importer = async (specifier: string) => {
    imported.push(specifier);
    if (!installed.includes(specifier)) {
      throw Object.assign(new Error(`Cannot find package '${specifier}' imported from /app/node_modules/@aigc/backend-node-gpu/dist/index.js`), {
        code: 'ERR_MODULE_NOT_FOUND',
      });
    }
    if (tf.findBackendFactory(TENSORFLOW_BACKEND) == null) {
      tf.registerBackend(TENSORFLOW_BACKEND, () => new FakeTensorflowBackend(gpu), 3);
      for (const k of tf.getKernelsForBackend('cpu')) tf.registerKernel({ ...k, backendName: TENSORFLOW_BACKEND });
    }
    return { version: '4.22.0' };
  };
  return Object.assign(importer, { imported });
}

/** An importer whose native library fails to load with `message`, as dlopen reports it. */
export function failingTfjsNode(message: string): ModuleImporter {
  return async () => {
    throw new Error(message);
  };
}

/** Removes the stand-in backend so the next test starts clean. */
export function removeFakeBackend(): void {
  if (tf.findBackendFactory(TENSORFLOW_BACKEND) != null) {
    for (const k of tf.getKernelsForBackend(TENSORFLOW_BACKEND)) tf.unregisterKernel(k.kernelName, TENSORFLOW_BACKEND);
    tf.removeBackend(TENSORFLOW_BACKEND);
  }
}
