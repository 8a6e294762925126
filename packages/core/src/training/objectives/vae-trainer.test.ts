/** The VAE through the real Trainer: objective chosen by registry, metrics by name, EMA, bit-exact resume, cpu/wasm parity. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../tf.js';
import { InvalidArgumentError, ModelFormatError } from '../../errors.js';
import { nonSaturatingLoss } from '../../losses/non-saturating.js';
import { convVae, mlpVae } from '../../models/vae-builders.js';
import type { VaeModel } from '../../models/vae.js';
import { adam } from '../optimizers/adam.js';
import { toyImages } from '../toy-data.test-utils.js';
import { Trainer } from '../trainer.js';
import type { TrainerOptions } from '../options.js';
import type { VaeTrainerOptions } from './vae.js';
import './vae.js'; // registers the 'vae' objective (the package index imports it for users)
import '../../node/checkpoint/index.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const small = () => mlpVae({ latentDim: 3, imageShape: [8, 8, 1], encoderUnits: [12], decoderUnits: [12], seed: 4 });
const weightsOf = (vae: VaeModel) => [...vae.encoderVariables(), ...vae.decoderVariables()].flatMap((v) => Array.from(v.dataSync()));

describe('new Trainer(vae)', () => {
  it('picks the registered VAE objective and reports loss, elbo, reconstruction, kl and beta per step', async () => {
    const vae = small();
    const options: VaeTrainerOptions = { backend: 'cpu', batchSize: 16, seed: 1, vae: { optimizers: { encoder: adam(1e-2), decoder: adam(1e-2) } } };
    const trainer = new Trainer(vae, options);
    expect(trainer.objective.name).toBe('vae');
    expect(trainer.objective.networks.map((n) => n.name)).toEqual(['encoder', 'decoder']);
    const h = await trainer.fit(toyImages(64), { steps: 40 });
    expect(h.metrics).toHaveLength(40);
    const first = h.metrics[0]!;
    const last = h.metrics[39]!;
    expect(Object.keys(last).sort()).toEqual(['beta', 'elbo', 'epoch', 'kl', 'loss', 'reconstruction', 'step']);
    expect(last.loss).toBeLessThan(0.5 * first.loss!);
    expect(last.elbo).toBeCloseTo(-(last.reconstruction! + last.kl!), 3);
    trainer.dispose();
    vae.dispose();
  });

  it('takes the VAE settings under `vae`, and refuses GAN options and G/D optimizers with typed errors', async () => {
    const vae = small();
    const options: VaeTrainerOptions = { backend: 'cpu', batchSize: 16, vae: { beta: 2, klWarmupSteps: 4, optimizers: { encoder: adam(1e-2), decoder: adam(1e-2) } } };
    const trainer = new Trainer(vae, options);
    expect(trainer.objective.config).toEqual({ beta: 2, klWarmupSteps: 4 });
    const h = await trainer.fit(toyImages(32), { steps: 2 });
    expect(h.metrics.map((m) => m.beta)).toEqual([0.5, 1]);
    trainer.dispose();
    expect(() => new Trainer(vae, { loss: nonSaturatingLoss() })).toThrow(/loss is a GAN option/);
    expect(() => new Trainer(vae, { optimizers: { generator: adam() } })).toThrow(/encoder and a decoder/);
    expect(() => new Trainer(vae, { vae: { beta: -1 } } as VaeTrainerOptions)).toThrow(InvalidArgumentError);
    expect(() => trainer.loss).toThrow(/GAN objective/);
    vae.dispose();
  });

  it('with ema averages the decoder: trainer.sample uses the averaged weights', async () => {
    const vae = small();
    const trainer = new Trainer(vae, { backend: 'cpu', batchSize: 16, seed: 2, ema: { decay: 0.5 } });
    await trainer.fit(toyImages(32), { steps: 3 });
    const [live, averaged] = [vae.sample(2, { seed: 1 }), trainer.sample(2, { seed: 1 })];
    expect(Array.from(averaged.dataSync())).not.toEqual(Array.from(live.dataSync()));
    tf.dispose([live, averaged]);
    trainer.dispose();
    vae.dispose();
  });
});

describe('checkpoints', () => {
  for (const [name, make] of [
    ['mlpVae', small],
    ['convVae (gaussian)', () => convVae({ imageShape: [8, 8, 1], latentDim: 2, filters: 2, likelihood: 'gaussian', seed: 5 })],
  ] as const) {
    it(`${name}: k steps, checkpoint, resume (model rebuilt from the checkpoint) equals the uninterrupted run bit for bit on cpu`, async () => {
      const data = toyImages(48);
      const options: VaeTrainerOptions = { backend: 'cpu', batchSize: 16, seed: 9, ema: { decay: 0.9 }, vae: { klWarmupSteps: 3 } };
      const straightModel = make();
      const straight = new Trainer(straightModel, options);
      const a = await straight.fit(data, { steps: 7 });

      const splitModel = make();
      const first = new Trainer(splitModel, options);
      await first.fit(data, { steps: 4 });
      const checkpoint = await first.checkpoint();
      expect(checkpoint.state.model.kind).toBe('vae');
      expect(Object.keys(checkpoint.state.optimizers)).toEqual(['encoder', 'decoder']);
      const dir = mkdtempSync(join(tmpdir(), 'aigc-vae-ckpt-'));
      await first.save(dir); // the file store: manifest + tensors, read back by Trainer.resume
      const resumed = await Trainer.resume<VaeModel>(dir, { backend: 'cpu' });
      rmSync(dir, { recursive: true, force: true });
      expect(resumed.model).not.toBe(splitModel);
      expect(resumed.globalStep).toBe(4);
      const b = await resumed.fit(data, { steps: 3 });
      expect(b.metrics.map((m) => m.loss)).toEqual(a.metrics.slice(4).map((m) => m.loss));
      expect(b.metrics.map((m) => m.beta)).toEqual([1, 1, 1]);
      expect(weightsOf(resumed.model)).toEqual(weightsOf(straightModel));
      const [s1, s2] = [straight.sample(2, { seed: 3 }), resumed.sample(2, { seed: 3 })];
      expect(Array.from(s2.dataSync())).toEqual(Array.from(s1.dataSync()));
      tf.dispose([s1, s2]);
      for (const t of [straight, first, resumed]) t.dispose();
      for (const m of [straightModel, splitModel, resumed.model]) m.dispose();
    });
  }

  it('resuming into another architecture, or with another objective, is refused', async () => {
    const vae = small();
    const trainer = new Trainer(vae, { backend: 'cpu', batchSize: 16 });
    await trainer.fit(toyImages(32), { steps: 1 });
    const checkpoint = await trainer.checkpoint();
    const wider = mlpVae({ latentDim: 5, imageShape: [8, 8, 1], encoderUnits: [12], decoderUnits: [12] });
    await expect(Trainer.fromCheckpoint(checkpoint, { backend: 'cpu', model: wider })).rejects.toThrow(ModelFormatError);
    wider.dispose();
    trainer.dispose();
    vae.dispose();
  });
});

describe('tensor growth', () => {
  it('a fit of many steps leaves no more tensors than one step', async () => {
    const vae = small();
    const trainer = new Trainer(vae, { backend: 'cpu', batchSize: 16 });
    const data = toyImages(32);
    await trainer.fit(data, { steps: 1 });
    const before = tf.memory().numTensors;
    await trainer.fit(data, { steps: 6 });
    expect(tf.memory().numTensors).toBe(before);
    trainer.dispose();
    vae.dispose();
  });
});

describe('parity', () => {
  it('cpu and wasm agree within 1e-5 over 4 Trainer steps', async () => {
    const run = async (backend: TrainerOptions['backend']) => {
      const { useBackend } = await import('../../backends/registry.js');
      await useBackend(backend!);
      const vae = convVae({ imageShape: [8, 8, 1], latentDim: 2, filters: 2, seed: 5 });
      const trainer = new Trainer(vae, { backend, batchSize: 8, seed: 3 });
      const h = await trainer.fit(toyImages(32), { steps: 4 });
      const out = { losses: h.metrics.map((m) => [m.loss!, m.kl!]), weights: weightsOf(vae) };
      trainer.dispose();
      vae.dispose();
      return out;
    };
    const cpu = await run('cpu');
    const wasm = await run('wasm');
    await tf.setBackend('cpu');
    cpu.losses.flat().forEach((v, i) => expect(Math.abs(wasm.losses.flat()[i]! - v)).toBeLessThanOrEqual(1e-5 + 1e-5 * Math.abs(v)));
    expect(Math.max(...cpu.weights.map((w, i) => Math.abs(w - wasm.weights[i]!)))).toBeLessThanOrEqual(1e-5);
  }, 60_000);
});
