import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../../tf.js';
import { InvalidArgumentError, ModelFormatError } from '../../errors.js';
import { dcgan } from '../../models/dcgan.js';
import { Trainer } from '../../training/trainer.js';
import { toyImages } from '../../training/toy-data.test-utils.js';
import { fingerprint, newRun, runData } from './resume-run.test-utils.js';
import { CHECKPOINT_MANIFEST } from './store.js';
import { checkpointCallback } from './callbacks.js';
import './index.js';

const run = promisify(execFile);
const temps: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aigc-ckpt-'));
  temps.push(dir);
  return dir;
};

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => {
  for (const dir of temps) rmSync(dir, { recursive: true, force: true });
});

/** Every file of a folder with its sha256, to show that nothing changed. */
const listing = (dir: string) =>
  readdirSync(dir)
    .sort()
    .map((f) => `${f}:${createHash('sha256').update(readFileSync(join(dir, f))).digest('hex')}`);

describe('trainer checkpoints', () => {
  it('20 steps equal 10 steps + save + resume in a new process + 10 steps, bitwise (cpu)', async () => {
    const data = runData();
    const whole = newRun();
    const full = fingerprint(whole, await whole.fit(data, { steps: 20 }));
    whole.dispose();
    whole.model.dispose();

    const first = newRun();
    const h1 = await first.fit(data, { steps: 10 });
    const dir = tempDir();
    await first.save(dir);
    first.dispose();
    first.model.dispose();

    const child = fileURLToPath(new URL('./resume-child.test-utils.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, dir], { maxBuffer: 64 << 20 });
    const resumed = JSON.parse(stdout) as { globalStep: number; losses: number[][]; weights: string };
    expect(resumed.globalStep).toBe(20);
    expect([...h1.metrics.map((m) => [m.dLoss, m.gLoss, m.dPenalty ?? NaN]), ...resumed.losses]).toEqual(full.losses);
    expect(resumed.weights === full.weights).toBe(true);
    // Sanity: the run is not trivially constant.
    expect(new Set(full.losses.map((l) => l[0])).size).toBeGreaterThan(10);
  }, 120_000);

  it('restores everything in process too: model rebuilt from topology, optimizer, EMA, sampler and data position', async () => {
    const data = runData();
    const a = newRun();
    await a.fit(data, { steps: 4 });
    const dir = tempDir();
    await a.save(dir);
    const b = await Trainer.resume(dir, { backend: 'cpu' });
    expect(b.globalStep).toBe(4);
    expect(b.batchSize).toBe(8);
    expect(b.discriminatorSteps).toBe(2);
    expect(b.loss.name).toBe('wasserstein');
    expect(b.regularizers.map((r) => r.name)).toEqual(['gradient-penalty']);
    expect(b.ema?.decay).toBe(0.9);
    expect(b.model.generator.nonTrainableWeights.length).toBe(2);
    const nextA = fingerprint(a, await a.fit(data, { steps: 3 }));
    const nextB = fingerprint(b, await b.fit(data, { steps: 3 }));
    expect(nextB).toEqual(nextA);
    const sa = a.sample(3, { seed: 1 });
    const sb = b.sample(3, { seed: 1 });
    expect(Array.from(sb.dataSync())).toEqual(Array.from(sa.dataSync()));
    tf.dispose([sa, sb]);
    for (const t of [a, b]) {
      t.dispose();
      t.model.dispose();
    }
  });

  it('overwrites atomically: one tensors file, no temporary files, manifest last', async () => {
    const t = newRun();
    const dir = tempDir();
    await t.fit(runData(), { steps: 1, callbacks: [checkpointCallback(t, dir, { every: 1 })] });
    await t.fit(runData(), { steps: 1 });
    await t.save(dir);
    const files = readdirSync(dir).sort();
    expect(files).toHaveLength(2);
    expect(files[0]).toBe(CHECKPOINT_MANIFEST);
    expect(files[1]).toMatch(/^tensors-[0-9a-f]{16}\.bin$/);
    const manifest = JSON.parse(readFileSync(join(dir, CHECKPOINT_MANIFEST), 'utf8'));
    expect(manifest.formatVersion).toBe(2);
    expect(manifest.state.globalStep).toBe(2);
    t.dispose();
    t.model.dispose();
  });

  describe('bad checkpoints give ModelFormatError and change nothing on disk', () => {
    let good: string;
    beforeAll(async () => {
      const t = newRun();
      await t.fit(runData(), { steps: 2 });
      good = tempDir();
      await t.save(good);
      t.dispose();
      t.model.dispose();
    });
    const variant = (edit: (dir: string, bin: string) => void) => {
      const dir = tempDir();
      for (const f of readdirSync(good)) writeFileSync(join(dir, f), readFileSync(join(good, f)));
      edit(dir, readdirSync(dir).find((f) => f.endsWith('.bin'))!);
      return dir;
    };
    const cases: Array<[string, (dir: string, bin: string) => void, RegExp]> = [
      ['a truncated tensors file', (d, b) => truncateSync(join(d, b), 100), /truncated or corrupted/],
      ['a flipped byte', (d, b) => {
        const bytes = readFileSync(join(d, b));
        bytes[10] = (bytes[10] ?? 0) ^ 0xff;
        writeFileSync(join(d, b), bytes);
      }, /checksum/],
      ['a truncated manifest', (d) => {
        const text = readFileSync(join(d, CHECKPOINT_MANIFEST), 'utf8');
        writeFileSync(join(d, CHECKPOINT_MANIFEST), text.slice(0, text.length / 2));
      }, /not valid JSON/],
      ['another format version', (d) => {
        const m = JSON.parse(readFileSync(join(d, CHECKPOINT_MANIFEST), 'utf8'));
        m.formatVersion = 99;
        writeFileSync(join(d, CHECKPOINT_MANIFEST), JSON.stringify(m));
      }, /format version 99; this @aigc\/core reads versions 1 and 2/],
      ['a missing tensors file', (d, b) => rmSync(join(d, b)), /missing/],
      ['no manifest', (d) => rmSync(join(d, CHECKPOINT_MANIFEST)), /no manifest\.json/],
    ];
    for (const [label, edit, message] of cases) {
      it(label, async () => {
        const dir = variant(edit);
        const before = listing(dir);
        const error = await Trainer.resume(dir, { backend: 'cpu' }).catch((e: unknown) => e);
        expect(ModelFormatError.isInstance(error)).toBe(true);
        expect((error as Error).message).toMatch(message);
        expect(listing(dir)).toEqual(before);
      });
    }

    it('a checkpoint of another architecture leaves the trainer untouched', async () => {
      const other = dcgan({ resolution: 8, latentDim: 6, generatorFilters: 5, discriminatorFilters: 4, seed: 1 });
      const trainer = new Trainer(other, { backend: 'cpu', batchSize: 8, ema: { decay: 0.9 } });
      const before = other.generator.getWeights().map((w) => Array.from(w.dataSync()));
      const { readCheckpointDir } = await import('./store.js');
      const error = await trainer.loadCheckpoint(await readCheckpointDir(good)).catch((e: unknown) => e);
      expect(ModelFormatError.isInstance(error)).toBe(true);
      expect((error as Error).message).toMatch(/another architecture/);
      expect(other.generator.getWeights().map((w) => Array.from(w.dataSync()))).toEqual(before);
      expect(trainer.globalStep).toBe(0);
      const noEma = new Trainer(dcgan({ resolution: 8, latentDim: 6, generatorFilters: 4, discriminatorFilters: 4 }), { backend: 'cpu' });
      await expect(noEma.loadCheckpoint(await readCheckpointDir(good))).rejects.toBeInstanceOf(InvalidArgumentError);
      for (const t of [trainer, noEma]) {
        t.dispose();
        t.model.dispose();
      }
    });
  });

  it('resumes a conditional ACGAN rebuilt from its checkpoint', async () => {
    const model = dcgan({ resolution: 8, latentDim: 4, numClasses: 2, conditioning: 'acgan', generatorFilters: 2, discriminatorFilters: 2, seed: 2 });
    const t = new Trainer(model, { backend: 'cpu', batchSize: 8, seed: 1 });
    const data = toyImages(32, 8, true);
    await t.fit(data, { steps: 2 });
    const dir = tempDir();
    await t.save(dir);
    const r = await Trainer.resume(dir, { backend: 'cpu' });
    expect(r.model.numClasses).toBe(2);
    const [ha, hb] = [await t.fit(data, { steps: 2 }), await r.fit(data, { steps: 2 })];
    expect(hb.metrics.map((m) => [m.dLoss, m.dClassLoss])).toEqual(ha.metrics.map((m) => [m.dLoss, m.dClassLoss]));
    for (const x of [t, r]) {
      x.dispose();
      x.model.dispose();
    }
  });
});
