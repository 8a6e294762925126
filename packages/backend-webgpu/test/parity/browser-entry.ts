/**
 * The page script of the Chromium parity run (bundled by `test/chromium-page.ts` at the repository root). It exposes
 * `globalThis.aigcParity` so the Node side can run every case on one backend and read the results.
 */
import { cpuBackend, wasmBackend, type BackendAdapter } from '@aigc/core';
import { webglBackend, webgpuBackend } from '../../src/index.js';
import { parityCases, runCases, type ParityCase } from './cases.js';

const adapters: Record<string, () => BackendAdapter> = {
  cpu: () => cpuBackend(),
  wasm: () => wasmBackend({ wasmPaths: new URL('/wasm/', location.href).href }),
  webgpu: () => webgpuBackend(),
  webgl: () => webglBackend(),
};

/** What the page offers to the test. */
export interface ParityPage {
  cases(): ParityCase[];
  run(backend: string, cases: readonly ParityCase[]): ReturnType<typeof runCases>;
}

const page: ParityPage = {
  cases: () => parityCases(),
  run: async (backend, cases) => {
    const make = adapters[backend];
    if (!make) throw new Error(`The parity page has no backend "${backend}".`);
    return runCases(cases, make(), backend);
  },
};

(globalThis as { aigcParity?: ParityPage }).aigcParity = page;
