import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import '../node/index.js';
import { augmentFingerprint, augmentRunData, historyFingerprint, newAugmentRun } from './resume-run.test-utils.js';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'aigc-augment-ckpt-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resume with augmentation on', () => {
  it('8 steps equal 4 steps + save + resume in a new process + 4 steps, bitwise, ADA p included (cpu)', async () => {
    const data = augmentRunData();
    const whole = newAugmentRun();
    const full = augmentFingerprint(whole, await whole.fit(data, { steps: 8 }));
    whole.dispose();
    whole.model.dispose();

    const first = newAugmentRun();
    const h1 = await first.fit(data, { steps: 4 });
    await first.save(dir);
    first.dispose();
    first.model.dispose();

    const child = fileURLToPath(new URL('./resume-child.test-utils.ts', import.meta.url));
    const { stdout } = await run(process.execPath, ['--import', 'tsx', child, dir], { maxBuffer: 64 << 20 });
    const resumed = JSON.parse(stdout) as { globalStep: number; losses: number[][]; p: number[]; weights: string };
    const firstPart = historyFingerprint(h1);
    expect(resumed.globalStep).toBe(8);
    expect([...firstPart.losses, ...resumed.losses]).toEqual(full.losses);
    expect([...firstPart.p, ...resumed.p]).toEqual(full.p);
    expect(resumed.weights === full.weights).toBe(true);
    // Sanity: p moved (D separates the toy reals, r_t above 0.6), and the same way in both runs.
    expect(new Set(full.p).size).toBeGreaterThan(1);
  }, 120_000);
});
