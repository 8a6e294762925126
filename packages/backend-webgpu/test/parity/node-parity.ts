/**
 * The suite both Node parity files register: the cases trained on cpu (the reference, in the
 * file's beforeAll), then on wasm and on webgpu (Dawn; SwiftShader where the machine has no GPU),
 * each case matching cpu within compare.ts's tolerances. WebGPU is skipped, with the reason
 * printed, where Vulkan cannot be set up, and must run in CI.
 */
import { beforeAll, describe, it } from 'vitest';
import type { BackendSpec } from '@aigc/core';
import type { ParityFailure, ParityResult } from './cases.js';
import { byCase, expectParity, printSummary } from './expect-parity.js';
import { useSoftwareVulkanForTests } from './software-vulkan.js';

/** What a Node parity file tests. */
export interface NodeParitySuite {
  /** Prefix of the printed summaries ('' or e.g. 'VAE '). */
  readonly prefix: string;
  /** The keys (caseKey) of the cases every backend must match cpu on. */
  readonly keys: readonly string[];
  /** Trains every case on `backend`. */
  run(backend: BackendSpec, label: string): Promise<Array<ParityResult | ParityFailure>>;
  /** The Dawn WebGPU backend to test. */
  webgpu(): BackendSpec;
}

/** Registers the cpu reference (beforeAll of the calling file) and the wasm and webgpu describes. */
export function describeNodeParity(suite: NodeParitySuite): void {
  let reference = new Map<string, ParityResult | ParityFailure>();
  beforeAll(async () => {
    const runs = await suite.run('cpu', 'cpu');
    reference = byCase(runs);
    printSummary(`${suite.prefix}cpu (reference)`, runs, reference);
  });

  const describeBackend = (title: string, label: string, backend: () => BackendSpec, summary: () => string, skip = false) =>
    describe.skipIf(skip)(title, () => {
      let results = new Map<string, ParityResult | ParityFailure>();
      beforeAll(async () => {
        const runs = await suite.run(backend(), label);
        results = byCase(runs);
        printSummary(summary(), runs, reference);
      });
      it.each(suite.keys.map((key) => [key] as const))('%s matches cpu', (key) => {
        expectParity(results.get(key), reference.get(key), label);
      });
    });

  describeBackend('wasm', 'wasm', () => 'wasm', () => `${suite.prefix}wasm (Node)`);

  const vulkanProblem = useSoftwareVulkanForTests();
  if (vulkanProblem && process.env.CI) throw new Error(`[parity] webgpu in Node must run in CI: ${vulkanProblem}`);
  if (vulkanProblem) console.warn(`[parity] skipping webgpu in Node: ${vulkanProblem}`);
  describeBackend(
    'webgpu in Node (Dawn)',
    'webgpu',
    suite.webgpu,
    () => `${suite.prefix}webgpu (Node, Dawn, VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'system'})`,
    vulkanProblem !== undefined,
  );
}
