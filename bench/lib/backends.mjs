// Activating a backend for the benchmark, including webgpu in Node (Dawn) and stock wasm.
import { tf, useBackend, wasmBackend, wasmThreadsInfo } from '../../packages/core/dist/index.js';

/** An aigc backend adapter over an already loaded tfjs backend. */
function plainAdapter(name) {
  return { name, tfBackend: name, isAvailable: async () => true, load: async () => {} };
}

/**
 * Puts tfjs-backend-wasm's own kernels back in place of aigc's overrides (keeping aigc's
 * Conv2DBackpropFilter, which the stock backend lacks), to measure what the overrides gain.
 */
function restoreStockWasmKernels() {
  const ORIGINAL = Symbol.for('aigc.wasm.originalKernel');
  // Every override that replaced a stock kernel carries it; aigc's own kernels (Conv2DBackpropFilter,
  // the fused Adam's AigcAdamUpdate, unused by the stock tf.train.adam of the hand loop) have none.
  for (const { kernelName: name } of tf.getKernelsForBackend('wasm')) {
    const k = tf.getKernel(name, 'wasm');
    const original = k?.kernelFunc?.[ORIGINAL];
    if (!original) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({ ...k, kernelFunc: original });
  }
}

/** The wasm thread count in use and why, for the report. */
function threadsNote() {
  const info = wasmThreadsInfo();
  if (!info) return '';
  return `${info.threads === 1 ? 'one thread' : `${info.threads} XNNPACK threads`} (${info.source === 'default' ? 'default' : `${info.source}: ${String(info.setting)}`}; ${info.reason}${info.fallback ? `; fallback: ${info.fallback}` : ''})`;
}

/**
 * Makes `name` the active backend and returns `{ spec, note }` where `spec` is what to pass to
 * `Trainer` as `backend`. Names: cpu, wasm (the default thread choice, 'auto' unless
 * AIGC_WASM_THREADS is set), wasm-N (N XNNPACK threads, e.g. wasm-1), wasm-N-xnnpack (the same with
 * AIGC_WASM_GEMM=0: no aigc GEMM), wasm-stock, webgpu.
 * Throws if unavailable.
 */
export async function activate(name) {
  if (name === 'cpu') {
    await useBackend(name);
    return { spec: name, tfBackend: name, note: '' };
  }
  if (name === 'wasm') {
    await useBackend(name);
    return { spec: name, tfBackend: name, note: threadsNote() };
  }
  const pinned = /^wasm-(\d+)(-xnnpack)?$/.exec(name);
  if (pinned) {
    const threads = Number(pinned[1]);
    // wasm-N-xnnpack: every matmul through XNNPACK (AIGC_WASM_GEMM=0), to compare with aigc's own GEMM.
    if (pinned[2]) process.env.AIGC_WASM_GEMM = '0';
    const adapter = wasmBackend({ threads: threads === 1 ? false : threads });
    await useBackend(adapter);
    return { spec: adapter, tfBackend: 'wasm', note: `${threadsNote()}${pinned[2] ? '; matmuls through XNNPACK only (AIGC_WASM_GEMM=0)' : ''}` };
  }
  if (name === 'wasm-stock') {
    await useBackend('wasm');
    restoreStockWasmKernels();
    return { spec: plainAdapter('wasm'), tfBackend: 'wasm', note: `tfjs-backend-wasm kernels without aigc overrides (Conv2DBackpropFilter from aigc); ${threadsNote()}` };
  }
  if (name === 'webgpu') {
    // Through our adapter, so its guards (chunked AddN, device errors surfaced) apply as for users.
    const { webgpu } = await import('../../packages/backend-webgpu/dist/index.js');
    const adapter = webgpu();
    await useBackend(adapter);
    const gpuAdapter = await globalThis.navigator?.gpu?.requestAdapter();
    const info = gpuAdapter?.info ?? {};
    const probe = tf.add(tf.ones([4]), tf.ones([4]));
    const v = await probe.data();
    probe.dispose();
    if (v[0] !== 2) throw new Error('webgpu returned wrong values for 1 + 1.');
    return { spec: adapter, tfBackend: 'webgpu', note: [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') };
  }
  throw new Error(`Unknown benchmark backend "${name}" (use cpu, wasm, wasm-N such as wasm-1, wasm-N-xnnpack, wasm-stock, webgpu).`);
}
