export type { BackendAdapter, BackendName, BackendSpec, BackendAdapterModule } from './types.js';
export { cpuBackend } from './cpu.js';
export { wasmBackend, type WasmBackendOptions } from './wasm.js';
export {
  useBackend,
  resolveBackendAdapter,
  registerBackendAdapter,
  type ModuleImporter,
  type ResolveBackendOptions,
} from './registry.js';
// For backend adapter packages (see docs/backends.md, "Writing a backend"): run-time imports of optional packages.
export { dynamicImport, isModuleNotFound } from './env.js';
