export type { BackendAdapter, BackendName, BackendSpec, BackendAdapterModule } from './types.js';
export { cpuBackend } from './cpu.js';
export { wasmBackend, type WasmBackendOptions } from './wasm.js';
export {
  useBackend,
  resolveBackendAdapter,
  registerBackendAdapter,
  knownBackendNames,
  defaultBackend,
  ADAPTER_PACKAGES,
  type ModuleImporter,
  type ResolveBackendOptions,
} from './registry.js';
export { isNode, dynamicImport, isModuleNotFound } from '../platform/env.js';
