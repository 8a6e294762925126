import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { tf } from '@aigc/core';
import { parseCliArgs } from '../src/args.js';
import { runDcgan } from '../src/train.js';

const temps: string[] = [];
const temp = () => {
  const dir = mkdtempSync(join(tmpdir(), 'aigc-dcgan-'));
  temps.push(dir);
  return dir;
};
afterAll(() => {
  for (const d of temps) rmSync(d, { recursive: true, force: true });
});

const EMBEDDED = join(import.meta.dirname, '..', '..', 'data', 'fashion-mnist');
const quiet = () => undefined;
/** A small, fast configuration on the embedded data. */
const args = (out: string, extra: string[] = []) =>
  parseCliArgs(['--data', EMBEDDED, '--limit', '64', '--batch', '8', '--filters', '4', '--backend', 'wasm', '--seed', '5', '--out', out, '--checkpoint-every', '2', '--sample-every', '0', ...extra]);
const losses = (out: string) =>
  readFileSync(join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as { step?: number; dLoss?: number; gLoss?: number; dPenalty?: number })
    .filter((m) => m.step !== undefined)
    .map((m) => [m.step, m.dLoss, m.gLoss, m.dPenalty]);

describe('runDcgan', () => {
  it('trains, writes a 64-image grid and a checkpoint; --resume continues exactly where it stopped', async () => {
    const straight = temp();
    const r = await runDcgan(args(straight, ['--steps', '4', '--recipe', 'classic', '--loss', 'wgan-gp']), quiet);
    expect(r).toMatchObject({ globalStep: 4, steps: 4, backend: 'wasm', resumed: false });
    expect(r.trainSeconds).toBeGreaterThan(0);
    const png = decode(readFileSync(r.samplesPath));
    // 8 x 8 tiles of 28 px with 2 px padding: 8 * 28 + 9 * 2 = 242.
    expect([png.width, png.height, png.channels]).toEqual([242, 242, 1]);
    // Padding is black; an image's pixels are G's tanh outputs (near mid-gray this early).
    const at = (x: number, y: number) => (png.data as Uint8Array)[y * 242 + x] as number;
    expect(at(0, 0)).toBe(0);
    expect(at(16, 16)).toBeGreaterThan(60);
    expect(at(16, 16)).toBeLessThan(200);
    // The averaged generator is scored with the shipped feature metrics (64 images here).
    const fid = r.evaluation?.metrics.find((m) => m.name === 'fid');
    expect(r.evaluation?.samples.generated).toBe(64);
    expect(Number.isFinite(fid?.value) && (fid?.value as number) > 0).toBe(true);
    expect(JSON.parse(readFileSync(join(straight, 'evaluation.json'), 'utf8')).samples.generated).toBe(64);

    const split = temp();
    const first = await runDcgan(args(split, ['--steps', '2', '--recipe', 'classic', '--loss', 'wgan-gp']), quiet);
    expect(first.globalStep).toBe(2);
    const second = await runDcgan(args(split, ['--steps', '4', '--recipe', 'classic', '--loss', 'wgan-gp', '--resume']), quiet);
    expect(second).toMatchObject({ globalStep: 4, steps: 2, resumed: true });
    const a = losses(straight);
    expect(a.map((l) => l[0])).toEqual([1, 2, 3, 4]);
    expect(a.every((l) => typeof l[3] === 'number' && (l[3] as number) >= 0)).toBe(true);
    expect(losses(split)).toEqual(a);
    // Already at the target: no training, just samples.
    const again = await runDcgan(args(split, ['--steps', '4', '--resume']), quiet);
    expect(again).toMatchObject({ globalStep: 4, steps: 0, resumed: true, trainSeconds: 0 });
  }, 300_000);

  it('the fast recipe (spectral norm, G at 8e-4, no EMA) resumes exactly too, without leaking tensors', async () => {
    const before = tf.memory().numTensors;
    const fast = ['--recipe', 'fast', '--eval', '0'];
    const straight = temp();
    await runDcgan(args(straight, [...fast, '--steps', '4']), quiet);
    const split = temp();
    await runDcgan(args(split, [...fast, '--steps', '2']), quiet);
    const resumed = await runDcgan(args(split, [...fast, '--steps', '4', '--resume']), quiet);
    expect(resumed).toMatchObject({ globalStep: 4, steps: 2, resumed: true });
    expect(losses(straight).map((l) => l[0])).toEqual([1, 2, 3, 4]);
    expect(losses(split)).toEqual(losses(straight));
    expect(tf.memory().numTensors).toBe(before);
  }, 300_000);
});
