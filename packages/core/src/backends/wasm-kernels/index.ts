export { registerWasmKernels, WASM_KERNELS } from './register.js';
