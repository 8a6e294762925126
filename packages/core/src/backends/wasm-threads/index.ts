/**
 * Multi-threaded tfjs-backend-wasm in Node, behind `wasmBackend({ threads })`: a pthread
 * `Worker` over `worker_threads` that loads tfjs' `blob:` scripts, and start-up with a chosen
 * XNNPACK thread count. Node-only; `wasm.ts` calls it only when `isNode()`.
 */
export { startNodeWasmThreads, type StartWasmThreadsOptions, type WasmThreadsApi } from './start.js';
export { availableCores, MAX_WASM_THREADS, resolveThreadCount, withReportedCores } from './core-count.js';
export { nodeBuiltins, type NodeBuiltins } from './node-builtins.js';
export { threadSupportProblem } from './support.js';
export { autoThreads, AUTO_MIN_FREE_CORES, parseThreadsEnv, threadProbe, threadsSetting, WASM_THREADS_ENV, type ThreadDecision, type ThreadProbe, type WasmThreadsSetting, type WasmThreadsSource } from './choice.js';
