/**
 * Cross-backend parity in Node: every model × loss case trains on cpu (the reference), wasm and
 * webgpu (Dawn; SwiftShader where the machine has no GPU) and must match cpu within the
 * tolerances of compare.ts. Runs in `npm test`.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { webgpuBackend } from '../../src/index.js';
import { parityCases, runCases, type ParityFailure, type ParityResult } from './cases.js';
import { byCase, caseKey, expectParity, printSummary } from './expect-parity.js';
import { useSoftwareVulkanForTests } from './software-vulkan.js';

const cases = parityCases();
let reference = new Map<string, ParityResult | ParityFailure>();

beforeAll(async () => {
  const runs = await runCases(cases, 'cpu', 'cpu');
  reference = byCase(runs);
  printSummary('cpu (reference)', runs, reference);
});

it('covers the MLP GAN and the DCGAN with every exported loss', () => {
  const models = new Set(cases.map((c) => c.model));
  expect(models.has('mlpGan')).toBe(true);
  expect(models.has('dcgan')).toBe(true);
  const losses = new Set(cases.map((c) => c.loss));
  expect(losses.has('nonSaturatingLoss')).toBe(true);
  expect(losses.has('minimaxLoss')).toBe(true);
  expect(cases.length).toBe(models.size * losses.size);
});

describe('wasm', () => {
  let results = new Map<string, ParityResult | ParityFailure>();
  beforeAll(async () => {
    const runs = await runCases(cases, 'wasm', 'wasm');
    results = byCase(runs);
    printSummary('wasm (Node)', runs, reference);
  });
  it.each(cases.map((c) => [caseKey(c), c] as const))('%s matches cpu', (key) => {
    expectParity(results.get(key), reference.get(key), 'wasm');
  });
});

const vulkanProblem = useSoftwareVulkanForTests();
if (vulkanProblem && process.env.CI) throw new Error(`[parity] webgpu in Node must run in CI: ${vulkanProblem}`);
if (vulkanProblem) console.warn(`[parity] skipping webgpu in Node: ${vulkanProblem}`);

describe.skipIf(vulkanProblem !== undefined)('webgpu in Node (Dawn)', () => {
  let results = new Map<string, ParityResult | ParityFailure>();
  beforeAll(async () => {
    const runs = await runCases(cases, webgpuBackend(), 'webgpu');
    results = byCase(runs);
    printSummary(`webgpu (Node, Dawn, VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'system'})`, runs, reference);
  });
  it.each(cases.map((c) => [caseKey(c), c] as const))('%s matches cpu', (key) => {
    expectParity(results.get(key), reference.get(key), 'webgpu');
  });
});
