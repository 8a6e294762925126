/**
 * The real @tensorflow/tfjs-node-gpu and @tensorflow/tfjs-node, where installed (they cannot be
 * installed on our CI machines: their install downloads libtensorflow). Each must train the
 * parity cases like cpu, within the parity suite's tolerances; skipped with a printed reason elsewhere.
 */
import { createRequire } from 'node:module';
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { BackendUnavailableError, useBackend, type BackendAdapter } from '@aigc/core';
import { parityCases, runCases } from '../../backend-webgpu/test/parity/cases.js';
import { compareRuns, isResult, WEIGHT_ATOL } from '../../backend-webgpu/test/parity/compare.js';
import { nodeBackend, nodeGpuBackend } from './index.js';

function installed(pkg: string): boolean {
  try {
    createRequire(import.meta.url).resolve(pkg);
    return true;
  } catch {
    return false;
  }
}

// TF32 matmuls/convolutions on Ampere+ GPUs round to 10-bit mantissas; parity needs full float32.
process.env.NVIDIA_TF32_OVERRIDE ??= '0';

const targets: Array<{ pkg: string; make: () => BackendAdapter }> = [
  { pkg: '@tensorflow/tfjs-node-gpu', make: () => nodeGpuBackend() },
  { pkg: '@tensorflow/tfjs-node', make: () => nodeBackend() },
];
// Both register the 'tensorflow' backend, so one process tests the first one installed.
const target = targets.find((t) => installed(t.pkg));
if (!target) {
  console.warn(
    '[node-gpu] skipping the real TensorFlow backend test: neither @tensorflow/tfjs-node-gpu nor @tensorflow/tfjs-node ' +
      'is installed (their install downloads libtensorflow; the adapters are tested with an injected loader in adapters.test.ts).',
  );
}

describe.skipIf(target === undefined)(`real ${target?.pkg}`, () => {
  const cases = parityCases();
  let adapter: BackendAdapter;
  let unavailable: BackendUnavailableError | undefined;

  beforeAll(async () => {
    adapter = (target as (typeof targets)[number]).make();
    try {
      await useBackend(adapter);
    } catch (e) {
      if (!BackendUnavailableError.isInstance(e)) throw e;
      unavailable = e;
      console.warn(`[node-gpu] ${adapter.name} is installed but cannot run here: ${e.message}`);
    }
  });

  it('trains every parity case like cpu, or says clearly why it cannot', async () => {
    if (unavailable) {
      expect(unavailable.message).toMatch(/CUDA 11\.2/);
      expect(unavailable.message).toContain("backend: ['node-gpu', 'node', 'wasm']");
      return;
    }
    const reference = await runCases(cases, 'cpu', 'cpu');
    const results = await runCases(cases, adapter, adapter.name);
    results.forEach((r, i) => {
      const ref = reference[i];
      if (!isResult(r)) throw new Error(`${adapter.name} failed ${r.model} × ${r.loss}: ${r.error}`);
      if (!ref || !isResult(ref)) throw new Error('cpu reference failed');
      expect(r.backend).toBe(adapter.name);
      const d = compareRuns(r, ref);
      console.log(`[node-gpu] ${r.model} × ${r.loss}: max |loss diff| ${d.maxLossDiff.toExponential(2)}, max |weight diff| ${d.maxWeightDiff.toExponential(2)}`);
      expect(d.maxWeightDiff).toBeLessThanOrEqual(WEIGHT_ATOL);
      expect(d.ok).toBe(true);
    });
  });
});
