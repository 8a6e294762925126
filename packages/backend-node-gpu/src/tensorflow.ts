import { BackendUnavailableError, dynamicImport, isModuleNotFound, tf, type BackendAdapter, type ModuleImporter } from '@aigc/core';
import { isNode } from './env.js';
import { fallbackText, nodeGpuRequirementText } from './requirements.js';

/** Options shared by {@link nodeGpu} and {@link node}. */
export interface TensorflowBackendOptions {
  /** How the tfjs-node package is imported (tests inject a stand-in). Default dynamic `import()`. */
  readonly importModule?: ModuleImporter;
  /** How the package is located without loading it, for `isAvailable()`. Default `require.resolve`. */
  readonly resolveModule?: (specifier: string) => string;
}

/** The aigc names of the two TensorFlow C library backends and the npm package serving each. */
export const TENSORFLOW_PACKAGES = {
  'node-gpu': '@tensorflow/tfjs-node-gpu',
  node: '@tensorflow/tfjs-node',
} as const;

/** The tfjs backend name both packages register. */
export const TENSORFLOW_BACKEND = 'tensorflow';

type Name = keyof typeof TENSORFLOW_PACKAGES;

/** Which package registered the 'tensorflow' backend in this process (both use that name). */
let loadedPackage: string | undefined;

const CUDA_LIBRARY = /lib(cudart|cublas|cublasLt|cudnn|cufft|curand|cusolver|cusparse|cuda|nvinfer)[\w.]*\.(so|dll)|cudart64|cudnn64/i;

function messageOf(error: unknown): string {
  return (error as Error | undefined)?.message ?? String(error);
}

function defaultResolve(specifier: string): string {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  const mod = proc?.getBuiltinModule?.('node:module') as { createRequire(from: string): { resolve(id: string): string } } | undefined;
  if (!mod) throw new Error('node:module is unavailable');
  return mod.createRequire(import.meta.url).resolve(specifier);
}

/** Turns a failed import of the tfjs-node package into an error that says what to do. */
function importFailure(name: Name, cause: unknown): BackendUnavailableError {
  const pkg = TENSORFLOW_PACKAGES[name];
  const gpuNote = name === 'node-gpu' ? ` ${nodeGpuRequirementText()}` : '';
  const message = messageOf(cause);
  let text: string;
  if (isModuleNotFound(cause, pkg)) {
    text =
      `Backend "${name}" needs the package ${pkg}, which is not installed. Run \`npm install ${pkg}@4.22.0\` ` +
      `(its install script downloads the TensorFlow C library).${gpuNote}`;
  } else if (name === 'node-gpu' && CUDA_LIBRARY.test(message)) {
    text = `Backend "node-gpu" could not load the CUDA libraries: ${message}.${gpuNote}`;
  } else if (/tfjs_binding|libtensorflow|\.node\b/i.test(message)) {
    text =
      `Backend "${name}": the native TensorFlow binding of ${pkg} failed to load: ${message}. ` +
      `Reinstall it (\`npm rebuild ${pkg}\`; its install downloads libtensorflow).${gpuNote}`;
  } else {
    text = `Backend "${name}": importing ${pkg} failed: ${message}.${gpuNote}`;
  }
  return new BackendUnavailableError(name, `${text} ${fallbackText(name)}`, { cause });
}

async function importPackage(name: Name, importModule: ModuleImporter): Promise<void> {
  const pkg = TENSORFLOW_PACKAGES[name];
  if (loadedPackage === pkg) return;
  if (loadedPackage !== undefined) {
    throw new BackendUnavailableError(
      name,
      `${loadedPackage} is already loaded in this process; it and ${pkg} both register the tfjs backend ` +
        `"${TENSORFLOW_BACKEND}", so one process can use only one of them. Install one of the two. ${fallbackText(name)}`,
    );
  }
  try {
    await importModule(pkg);
  } catch (cause) {
    throw importFailure(name, cause);
  }
  if (tf.findBackendFactory(TENSORFLOW_BACKEND) == null) {
    throw new BackendUnavailableError(
      name,
      `${pkg} loaded but registered no "${TENSORFLOW_BACKEND}" backend with the tfjs-core aigc uses: two copies of ` +
        `@tensorflow/tfjs-core are installed. \`npm ls @tensorflow/tfjs-core\` must show one 4.22.0. ${fallbackText(name)}`,
    );
  }
  loadedPackage = pkg;
}

/** True if the active tfjs-node backend reports a GPU device (tfjs-node sets `isUsingGpuDevice`). */
function usesGpu(backend: unknown): boolean {
  const flag = (backend as { isUsingGpuDevice?: boolean | (() => boolean) }).isUsingGpuDevice;
  return typeof flag === 'function' ? flag.call(backend) === true : flag === true;
}

/** Initializes the 'tensorflow' backend and checks that TensorFlow found a GPU; restores the previous backend on failure. */
async function assertGpuDevice(): Promise<void> {
  const previous = tf.engine().backendName as string | null;
  let ok = false;
  try {
    ok = await tf.setBackend(TENSORFLOW_BACKEND);
    if (ok && usesGpu(tf.backend())) return;
  } catch {
    ok = false;
  }
  if (previous && previous !== TENSORFLOW_BACKEND) await tf.setBackend(previous);
  throw new BackendUnavailableError(
    'node-gpu',
    `TensorFlow started without a GPU device${ok ? '' : ' (the backend failed to initialize)'}: the CUDA or cuDNN ` +
      `libraries were not found, are the wrong version, or no NVIDIA GPU is visible (check nvidia-smi and its ` +
      `"could not load dynamic library" warnings above). ${nodeGpuRequirementText()} To run on the CPU through ` +
      `TensorFlow anyway pass nodeGpu({ requireGpu: false }). ${fallbackText('node-gpu')}`,
  );
}

/** Builds the adapter for one of the two packages; `requireGpu` applies to `node-gpu` only. */
export function tensorflowAdapter(name: Name, options: TensorflowBackendOptions, requireGpu: boolean): BackendAdapter {
  const pkg = TENSORFLOW_PACKAGES[name];
  const importModule = options.importModule ?? dynamicImport;
  const resolveModule = options.resolveModule ?? defaultResolve;
  return {
    name,
    tfBackend: TENSORFLOW_BACKEND,
    isAvailable: async () => {
      if (!isNode()) return false;
      try {
        resolveModule(pkg);
        return true;
      } catch {
        return false;
      }
    },
    load: async () => {
      if (!isNode()) {
        throw new BackendUnavailableError(name, `Backend "${name}" (${pkg}) runs only in Node.js. In browsers use 'webgpu', 'webgl' or 'wasm'.`);
      }
      await importPackage(name, importModule);
      if (name === 'node-gpu' && requireGpu) await assertGpuDevice();
    },
  };
}

/** Forgets which package was loaded; for tests that register stand-in backends. @internal */
export function resetLoadedPackageForTests(): void {
  loadedPackage = undefined;
}
