import { afterAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as wasmPkg from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { BackendUnavailableError, InvalidArgumentError } from '../../errors.js';
import { useBackend } from '../registry.js';
import { wasmBackend } from '../wasm.js';
import { mlpGan } from '../../models/mlp-gan.js';
import { dcgan } from '../../models/dcgan.js';
import { ImageDataset } from '../../data/dataset.js';
import { Trainer } from '../../training/trainer.js';
import { nonSaturatingLoss } from '../../losses/non-saturating.js';
import type { BackendSpec } from '../types.js';
import type { GanModel } from '../../models/types.js';
import { MAX_WASM_THREADS, resolveThreadCount, withReportedCores } from './core-count.js';
import { nodeBuiltins } from './node-builtins.js';
import { startNodeWasmThreads } from './start.js';
import { threadSupportProblem } from './support.js';
import { FACTORY_HELPERS, FACTORY_REQUIRES } from './worker-source.js';
import { simdKernelsFor, simdKernelsOf } from '../wasm-kernels/simd.js';
import { ownGemmPreferred } from '../wasm-kernels/gemm-route.js';

const bundlePath = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');

describe('thread count', () => {
  it('resolves the threads option', () => {
    expect(resolveThreadCount(undefined, 4)).toBe(1);
    expect(resolveThreadCount(false, 4)).toBe(1);
    expect(resolveThreadCount(true, 4)).toBe(4);
    expect(resolveThreadCount(true, 64)).toBe(MAX_WASM_THREADS);
    expect(resolveThreadCount(3, 2)).toBe(3);
    expect(resolveThreadCount(20, 2)).toBe(MAX_WASM_THREADS);
    for (const bad of [0, -1, 1.5, Number.NaN]) expect(() => resolveThreadCount(bad, 2)).toThrow(InvalidArgumentError);
  });

  it('pads os.cpus() only while start-up runs', async () => {
    const node = nodeBuiltins()!;
    const real = node.os.cpus().length;
    const seen = await withReportedCores(node.os, real + 3, async () => node.os.cpus().length);
    expect(seen).toBe(2 * (real + 3));
    expect(node.os.cpus().length).toBe(real);
  });
});

describe('the tfjs bundle matches what the pthread worker provides', () => {
  const source = readFileSync(bundlePath, 'utf8');
  it('maps each require$$N the threaded factory uses to the right module', () => {
    const start = source.indexOf('var WasmBackendModuleThreadedSimd = (function');
    const end = source.indexOf('module.exports = WasmBackendModuleThreadedSimd;', start);
    expect(start).toBeGreaterThan(0);
    expect(end).toBeGreaterThan(start);
    const factory = source.slice(start, end);
    const used = [...new Set(factory.match(/require\$\$\d+/g) ?? [])].sort();
    expect(used).toEqual(Object.keys(FACTORY_REQUIRES).sort());
    for (const [name, id] of Object.entries(FACTORY_REQUIRES)) {
      expect(source).toContain(`var ${name} = require('${id}');`);
    }
    const helpers = [...new Set(factory.match(/\b__[a-z][A-Za-z]*(?=\()/g) ?? [])].sort();
    expect(helpers).toEqual([...FACTORY_HELPERS].sort());
  });
});

describe('support checks', () => {
  it('names the missing piece and what to do', () => {
    expect(threadSupportProblem(nodeBuiltins())).toBeNull();
    expect(threadSupportProblem(null)).toMatch(/Node >= 20\.16.*without threads/);
    const sab = globalThis.SharedArrayBuffer;
    try {
      (globalThis as { SharedArrayBuffer?: unknown }).SharedArrayBuffer = undefined;
      expect(threadSupportProblem(nodeBuiltins())).toMatch(/SharedArrayBuffer is unavailable.*without threads/);
    } finally {
      globalThis.SharedArrayBuffer = sab;
    }
  });

  it('throws a BackendUnavailableError where threads cannot start', async () => {
    expect(tf.engine().registry['wasm']).toBeUndefined();
    const error = await startNodeWasmThreads(wasmPkg, null, 2).catch((e: unknown) => e);
    expect(BackendUnavailableError.isInstance(error)).toBe(true);
    expect((error as BackendUnavailableError).backend).toBe('wasm');
    expect((error as Error).message).toMatch(/without threads/);
  });

  it('turns a failed or stalled start-up into a BackendUnavailableError and resets the flag', async () => {
    const entry = tf.engine().registryFactory['wasm']!;
    const original = entry.factory;
    try {
      entry.factory = () => Promise.reject({ message: 'boom' });
      const failed = await startNodeWasmThreads(wasmPkg, nodeBuiltins(), 2).catch((e: unknown) => e);
      expect(BackendUnavailableError.isInstance(failed)).toBe(true);
      expect((failed as Error).message).toMatch(/failed to start: boom\. Use wasmBackend\(\) without threads/);
      expect(tf.env().get('WASM_HAS_MULTITHREAD_SUPPORT')).toBe(false);
      entry.factory = () => new Promise<never>(() => {});
      const stalled = await startNodeWasmThreads(wasmPkg, nodeBuiltins(), 2, { timeoutMs: 50 }).catch((e: unknown) => e);
      expect(BackendUnavailableError.isInstance(stalled)).toBe(true);
      expect((stalled as Error).message).toMatch(/did not start within 50 ms/);
    } finally {
      entry.factory = original;
    }
  });
});

/** Two-mode toy images in [-1, 1]. */
function toyImages(h: number, w: number, n = 32): Float32Array {
  const out = new Float32Array(n * h * w);
  for (let i = 0; i < n; i++) {
    for (let y = 0; y < h; y++) {
      for (let x = 0; x < w; x++) out[(i * h + y) * w + x] = (i % 2 === 0 ? y < h / 2 : y >= h / 2) ? 0.9 - (0.05 * x) / w : -1 + (0.1 * (i % 5)) / 5;
    }
  }
  return out;
}

interface Run {
  readonly backend: string;
  readonly losses: number[];
  readonly weights: Float32Array;
}

/**
 * Trains 4 Adam steps of `build()` on `backend` and returns the losses and final weights: with
 * tfjs' Adam (epsilon 1e-4, as the parity suite), or with the Trainer's default optimizers
 * (aigc's fused Adam kernel, which on wasm runs its own SIMD WebAssembly on the shared heap).
 */
async function train(build: () => GanModel, backend: BackendSpec, defaultOptimizers = false): Promise<Run> {
  await useBackend(backend);
  const model = build();
  const [h, w] = model.imageShape;
  const data = ImageDataset.fromArrays({ images: toyImages(h, w), imageShape: [h, w, 1] });
  const adam = () => tf.train.adam(1e-3, 0.5, 0.999, 1e-4);
  const trainer = new Trainer(model, {
    backend,
    loss: nonSaturatingLoss(),
    batchSize: 8,
    seed: 3,
    ...(defaultOptimizers ? {} : { optimizers: { generator: adam(), discriminator: adam() } }),
  });
  try {
    const history = await trainer.fit(data, { steps: 4 });
    const parts: number[] = [];
    for (const v of [...model.generatorVariables(), ...model.discriminatorVariables()]) parts.push(...(await v.data()));
    return { backend: history.backend, losses: history.metrics.flatMap((m) => [m.dLoss, m.gLoss]), weights: Float32Array.from(parts) };
  } finally {
    trainer.dispose();
    model.dispose();
  }
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  expect(a.length).toBe(b.length);
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

const smallMlp = () => mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [32], discriminatorUnits: [32], seed: 7 });
const models: Array<[string, () => GanModel, boolean]> = [
  ['mlpGan, tfjs Adam', smallMlp, false],
  ['mlpGan, default optimizers', smallMlp, true],
  ['dcgan, tfjs Adam', () => dcgan({ latentDim: 8, resolution: 16, channels: 1, generatorFilters: 8, discriminatorFilters: 8, kernelSize: 5, seed: 7 }), false],
];

describe('multi-threaded wasm in Node', () => {
  afterAll(async () => {
    await tf.setBackend('cpu');
  });

  it('starts 2 XNNPACK threads', async () => {
    const adapter = await useBackend(wasmBackend({ threads: 2 }));
    expect(adapter.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(wasmPkg.getThreadsCount()).toBe(2);
    // aigc's SIMD kernels run on the shared heap (else they fall back to slow JS loops).
    const mod = (tf.backend() as unknown as { wasm: { wasmMemory: WebAssembly.Memory } }).wasm;
    expect(simdKernelsOf(tf.backend())).toBe(simdKernelsFor(mod.wasmMemory));
    expect(mod.wasmMemory.buffer).toBeInstanceOf(SharedArrayBuffer);
    // A matmul large enough for XNNPACK to split across the threads, checked against cpu.
    const a = tf.randomUniform([96, 80], -1, 1, 'float32', 1);
    const b = tf.randomUniform([80, 72], -1, 1, 'float32', 2);
    const got = await tf.matMul(a, b).data();
    const aa = await a.data();
    const bb = await b.data();
    await tf.setBackend('cpu');
    const ref = await tf.matMul(tf.tensor2d(aa, [96, 80]), tf.tensor2d(bb, [80, 72])).data();
    expect(maxAbsDiff(got, ref)).toBeLessThan(1e-5);
  });

  it("aigc's GEMM runs on the shared heap with XNNPACK's bits; the threaded default keeps XNNPACK", async () => {
    await useBackend(wasmBackend({ threads: 2 }));
    const a = tf.randomUniform([70, 130], -1, 1, 'float32', 4);
    const b = tf.randomUniform([90, 130], -1, 1, 'float32', 5);
    const product = (mode: string | undefined) => {
      if (mode === undefined) delete process.env['AIGC_WASM_GEMM'];
      else process.env['AIGC_WASM_GEMM'] = mode;
      try {
        const t = tf.matMul(a, b, false, true);
        const data = t.dataSync();
        t.dispose();
        return Array.from(data);
      } finally {
        delete process.env['AIGC_WASM_GEMM'];
      }
    };
    const xnnpack = product('0');
    expect(product('1')).toEqual(xnnpack);
    expect(product(undefined)).toEqual(xnnpack);
    expect(ownGemmPreferred(tf.backend(), 90, true)).toBe(false);
    a.dispose();
    b.dispose();
  });

  it('is reused by later loads; asking for threads again returns the running count', async () => {
    await useBackend(wasmBackend());
    expect(wasmPkg.getThreadsCount()).toBe(2);
    await expect(startNodeWasmThreads(wasmPkg, nodeBuiltins(), 4)).resolves.toBe(2);
  });

  it.each(models)('%s: 4 steps match cpu within 1e-5', async (_, build, defaultOptimizers) => {
    const ref = await train(build, 'cpu', defaultOptimizers);
    const got = await train(build, wasmBackend({ threads: 2 }), defaultOptimizers);
    expect(ref.backend).toBe('cpu');
    expect(got.backend).toBe('wasm');
    expect(wasmPkg.getThreadsCount()).toBe(2);
    expect(got.losses.every(Number.isFinite)).toBe(true);
    const lossDiff = maxAbsDiff(got.losses, ref.losses);
    const weightDiff = maxAbsDiff(got.weights, ref.weights);
    console.log(`threaded wasm vs cpu: max |loss diff| ${lossDiff.toExponential(2)}, max |weight diff| ${weightDiff.toExponential(2)}`);
    expect(lossDiff).toBeLessThan(1e-5);
    expect(weightDiff).toBeLessThan(1e-5);
    // The run moved the weights (so equal weights are not trivially equal initial values).
    const initial = build();
    const init: number[] = [];
    for (const v of [...initial.generatorVariables(), ...initial.discriminatorVariables()]) init.push(...(await v.data()));
    initial.dispose();
    expect(maxAbsDiff(got.weights, init)).toBeGreaterThan(1e-4);
  });
});
