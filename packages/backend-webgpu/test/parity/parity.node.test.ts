/**
 * Cross-backend parity in Node: every model × loss case trains on cpu (the reference), wasm and
 * webgpu (Dawn; SwiftShader where the machine has no GPU) and must match cpu within the
 * tolerances of compare.ts. Runs in `npm test`.
 */
import { expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { webgpuBackend } from '../../src/index.js';
import { parityCases, runCases } from './cases.js';
import { caseKey } from './expect-parity.js';
import { describeNodeParity } from './node-parity.js';

const cases = parityCases();

it('covers the MLP GAN and the DCGAN with every exported loss', () => {
  const models = new Set(cases.map((c) => c.model));
  expect(models.has('mlpGan')).toBe(true);
  expect(models.has('dcgan')).toBe(true);
  const losses = new Set(cases.map((c) => c.loss));
  expect(losses.has('nonSaturatingLoss')).toBe(true);
  expect(losses.has('minimaxLoss')).toBe(true);
  expect(cases.length).toBe(models.size * losses.size);
});

describeNodeParity({
  prefix: '',
  keys: cases.map(caseKey),
  run: (backend, label) => runCases(cases, backend, label),
  webgpu: () => webgpuBackend(),
});
