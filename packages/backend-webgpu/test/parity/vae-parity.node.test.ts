/**
 * VAE parity in Node: each VAE case trains on cpu (the reference), wasm and webgpu (Dawn;
 * SwiftShader where the machine has no GPU) and must match cpu within compare.ts's tolerances.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { webgpu } from '../../src/index.js';
import type { ParityFailure, ParityResult } from './cases.js';
import { byCase, caseKey, expectParity, printSummary } from './expect-parity.js';
import { useSoftwareVulkanForTests } from './software-vulkan.js';
import { runVaeCase, VAE_CONFIGS, vaeParityCases } from './vae-cases.js';

const names = Object.keys(VAE_CONFIGS);
const cases = vaeParityCases();
let reference = new Map<string, ParityResult | ParityFailure>();

async function runAll(backend: Parameters<typeof runVaeCase>[1], label: string): Promise<Array<ParityResult | ParityFailure>> {
  const out: Array<ParityResult | ParityFailure> = [];
  for (const name of names) out.push(await runVaeCase(name, backend, label));
  return out;
}

beforeAll(async () => {
  const runs = await runAll('cpu', 'cpu');
  reference = byCase(runs);
  printSummary('VAE cpu (reference)', runs, reference);
});

it('covers the MLP VAE with both likelihoods and the convolutional VAE', () => {
  expect(cases.map(caseKey)).toEqual(['mlpVae × bernoulli', 'mlpVae × gaussian', 'convVae × bernoulli']);
});

describe('wasm', () => {
  let results = new Map<string, ParityResult | ParityFailure>();
  beforeAll(async () => {
    const runs = await runAll('wasm', 'wasm');
    results = byCase(runs);
    printSummary('VAE wasm (Node)', runs, reference);
  });
  it.each(cases.map((c) => [caseKey(c)] as const))('%s matches cpu', (key) => {
    expectParity(results.get(key), reference.get(key), 'wasm');
  });
});

const vulkanProblem = useSoftwareVulkanForTests();
if (vulkanProblem && process.env.CI) throw new Error(`[parity] webgpu in Node must run in CI: ${vulkanProblem}`);
if (vulkanProblem) console.warn(`[parity] skipping webgpu in Node: ${vulkanProblem}`);

describe.skipIf(vulkanProblem !== undefined)('webgpu in Node (Dawn)', () => {
  let results = new Map<string, ParityResult | ParityFailure>();
  beforeAll(async () => {
    const runs = await runAll(webgpu(), 'webgpu');
    results = byCase(runs);
    printSummary(`VAE webgpu (Node, Dawn, VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES ?? 'system'})`, runs, reference);
  });
  it.each(cases.map((c) => [caseKey(c)] as const))('%s matches cpu', (key) => {
    expectParity(results.get(key), reference.get(key), 'webgpu');
  });
});
