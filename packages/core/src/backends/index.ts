export type { BackendAdapter, BackendInfo, BackendName, BackendSpec, BackendAdapterModule } from './types.js';
export { cpuBackend } from './cpu.js';
export { wasmBackend, wasmThreadsInfo, type WasmBackendOptions, type WasmThreadsInfo } from './wasm.js';
export type { WasmThreadsSetting, WasmThreadsSource } from './wasm-threads/choice.js';
export {
  useBackend,
  resolveBackendAdapter,
  registerBackendAdapter,
  type ModuleImporter,
  type ResolveBackendOptions,
} from './registry.js';
// For backend adapter packages (see docs/backends.md, "Writing a backend"): run-time imports of optional packages
// and the option-key check every factory runs.
export { dynamicImport, isModuleNotFound } from '../platform/env.js';
export { checkKeys } from '../options.js';
