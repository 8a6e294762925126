/**
 * The default wasmBackend() ('auto') where the rule picks threads but they cannot start: it
 * falls back to one thread, records why, trains, and does not try again. Its own process (vitest
 * forks per file), since tfjs initializes the wasm module once.
 */
import { afterAll, describe, expect, it } from 'vitest';
import * as wasmPkg from '@tensorflow/tfjs-backend-wasm';
import { tf } from '../../tf.js';
import { useBackend } from '../registry.js';
import { wasmBackend, wasmThreadsInfo } from '../wasm.js';
import { mlpGan } from '../../models/mlp-gan.js';
import { ImageDataset } from '../../data/dataset.js';
import { Trainer } from '../../training/trainer.js';
import { threadProbe, WASM_THREADS_ENV } from './choice.js';

// The fast suite pins threads off through the variable (vitest.config.ts); this file tests the default.
delete process.env[WASM_THREADS_ENV];

describe("wasmBackend() 'auto' when threads cannot start", () => {
  const probe = threadProbe.node;
  afterAll(async () => {
    threadProbe.node = probe;
    await tf.setBackend('cpu');
  });

  it('falls back to one thread with the reason recorded, and trains', async () => {
    expect(tf.engine().registry['wasm']).toBeUndefined();
    // A machine with 4 idle cores, and a threaded build whose start-up fails.
    threadProbe.node = () => ({ cores: 4, load: 0 });
    const entry = tf.engine().registryFactory['wasm']!;
    const original = entry.factory;
    let threadedTries = 0;
    entry.factory = () => {
      if (!tf.env().getBool('WASM_HAS_MULTITHREAD_SUPPORT')) return original();
      threadedTries++;
      return Promise.reject(new Error('pthread workers did not load'));
    };
    const lines: string[] = [];
    try {
      const backend = wasmBackend({ log: (l) => lines.push(l) });
      // The backend first, so the model's weights are created on it (not on a wasm tfjs initializes itself).
      await useBackend(backend);
      const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 1 });
      const images = Float32Array.from({ length: 16 * 16 }, (_, i) => ((i * 37) % 20) / 10 - 1);
      const trainer = new Trainer(gan, { backend, batchSize: 8, seed: 1 });
      const h = await trainer.fit(ImageDataset.fromArrays({ images, imageShape: [4, 4, 1] }), { steps: 3 });
      expect(h.steps).toBe(3);
      expect(h.metrics.every((m) => Number.isFinite(m.dLoss) && Number.isFinite(m.gLoss))).toBe(true);
      expect(trainer.backend).toBe('wasm');
      expect(wasmPkg.getThreadsCount()).toBe(1);
      const info = wasmThreadsInfo();
      expect(info).toMatchObject({ threads: 1, setting: 'auto', source: 'default', reason: 'auto: 4.00 of 4 cores free (load average 0.00)' });
      expect(info?.fallback).toMatch(/failed to start: pthread workers did not load/);
      expect(trainer.backendInfo).toMatchObject({ name: 'wasm', threads: 1 });
      expect(trainer.backendInfo?.threadsReason).toMatch(/^auto: 4\.00 of 4 cores free.*; threads could not start: .*pthread workers did not load/);
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(/^aigc: wasm backend on one thread: auto: .*threads could not start/);
      expect(threadedTries).toBe(1);
      trainer.dispose();
      gan.dispose();
    } finally {
      entry.factory = original;
    }
  });

  it('later loads keep the recorded choice and do not try threads again', async () => {
    const before = wasmThreadsInfo();
    await useBackend(wasmBackend());
    await useBackend('wasm');
    expect(wasmThreadsInfo()).toBe(before);
    expect(wasmPkg.getThreadsCount()).toBe(1);
  });
});
