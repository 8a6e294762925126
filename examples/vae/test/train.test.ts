import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '@aigc/core';
import { loadGenerator } from '@aigc/core/node';
import { parseCliArgs } from '../src/args.js';
import { runVae } from '../src/train.js';

const temps: string[] = [];
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const EMBEDDED = join(import.meta.dirname, '..', '..', 'data', 'fashion-mnist');

describe('runVae', () => {
  it('trains a few steps and writes samples.png, reconstructions.png, metrics.jsonl and a loadable generator', async () => {
    const out = mkdtempSync(join(tmpdir(), 'aigc-vae-'));
    temps.push(out);
    const opts = parseCliArgs(['--data', EMBEDDED, '--limit', '256', '--batch', '32', '--steps', '30', '--latent', '8', '--lr', '3e-3', '--eval', '64', '--backend', 'wasm', '--seed', '5', '--out', out]);
    const r = await runVae(opts, () => undefined);
    expect(r).toMatchObject({ steps: 30, backend: 'wasm' });
    const samples = decode(readFileSync(r.samplesPath));
    expect([samples.width, samples.height, samples.channels]).toEqual([242, 242, 1]); // 8 x 8 tiles of 28 px, 2 px padding
    const rec = decode(readFileSync(r.reconstructionsPath));
    // 32 images as 4 pairs per row: 8 tiles across, 8 rows.
    expect([rec.width, rec.height]).toEqual([8 * 28 + 9 * 2, 8 * 28 + 9 * 2]);
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { step: number; loss: number; kl: number });
    expect(lines.map((l) => l.step)).toEqual(Array.from({ length: 30 }, (_, i) => i + 1));
    expect(lines[29]!.loss).toBeLessThan(lines[0]!.loss);
    expect(r.reconstructionMse.vae).toBeLessThan(r.reconstructionMse.meanImage);
    expect(r.evaluation?.samples.generated).toBe(64);
    const gen = await loadGenerator(r.generatorDir);
    expect(gen.latentDim).toBe(8);
    const img = gen.sample(2, { seed: 1 });
    expect(img.shape).toEqual([2, 28, 28, 1]);
    tf.dispose(img);
    gen.dispose();
  }, 120_000);
});
