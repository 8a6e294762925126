/**
 * VAE parity in Node: each VAE case trains on cpu (the reference), wasm and webgpu (Dawn;
 * SwiftShader where the machine has no GPU) and must match cpu within compare.ts's tolerances.
 */
import { expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import type { BackendSpec } from '@aigc/core';
import { webgpu } from '../../src/index.js';
import type { ParityFailure, ParityResult } from './cases.js';
import { caseKey } from './expect-parity.js';
import { describeNodeParity } from './node-parity.js';
import { runVaeCase, VAE_CONFIGS, vaeParityCases } from './vae-cases.js';

const names = Object.keys(VAE_CONFIGS);
const cases = vaeParityCases();

async function runAll(backend: BackendSpec, label: string): Promise<Array<ParityResult | ParityFailure>> {
  const out: Array<ParityResult | ParityFailure> = [];
  for (const name of names) out.push(await runVaeCase(name, backend, label));
  return out;
}

it('covers the MLP VAE with both likelihoods and the convolutional VAE', () => {
  expect(cases.map(caseKey)).toEqual(['mlpVae × bernoulli', 'mlpVae × gaussian', 'convVae × bernoulli']);
});

describeNodeParity({ prefix: 'VAE ', keys: cases.map(caseKey), run: runAll, webgpu: () => webgpu() });
