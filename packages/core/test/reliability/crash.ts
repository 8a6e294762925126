/** Helpers of the crash tests: run a child that writes in a loop and SIGKILL it at a random moment. */
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { expect } from 'vitest';
import { Trainer, mlpGan, tf, type tfl } from '@aigc/core';
import { loadGenerator, saveGenerator } from '@aigc/core/node';
import { expectNoTempFiles } from './catalogue.js';
import { crashRun } from './crash-run.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const saverChild = fileURLToPath(new URL('./crash-child.ts', import.meta.url));
const trainerChild = fileURLToPath(new URL('./crash-trainer-child.ts', import.meta.url));
/** Runs `script args` in one Node process with the tsx loader (the tsx CLI would add a second process that SIGKILL misses), waits until it printed `ready` lines, then SIGKILLs it after `delayMs`; resolves with its stdout. */
export function killAfter(script: string, args: string[], readyLines: number, delayMs: number): Promise<{ stdout: string; signal: string | null }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script, ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let armed = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (!armed && stdout.split('\n').length > readyLines) {
        armed = true;
        setTimeout(() => child.kill('SIGKILL'), delayMs);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`child ended with code ${code} before it was killed:\n${stderr}`));
      else resolve({ stdout, signal });
    });
  });
}

/** A hash of all weights of a model, to tell whole versions apart. */
export function weightsHash(model: tfl.LayersModel): string {
  const hash = createHash('sha256');
  for (const w of model.getWeights()) hash.update(new Uint8Array((w.dataSync() as Float32Array).buffer));
  return hash.digest('hex');
}

/** Runs `kills` kill-and-check rounds on one folder; returns how many kills landed mid-save (temp or orphan files left). */
export async function killWhileSaving(kills: number): Promise<{ midSave: number; versions: Set<string> }> {
  await tf.setBackend('cpu');
  const expected = [1, 2].map((seed) => {
    const gan = mlpGan({ seed });
    const hash = weightsHash(gan.generator);
    gan.dispose();
    return hash;
  });
  const dir = mkdtempSync(path.join(tmpdir(), 'aigc-crash-'));
  let midSave = 0;
  const versions = new Set<string>();
  for (let i = 0; i < kills; i++) {
    const { stdout } = await killAfter(saverChild, [dir], 1, Math.random() * 120);
    const files = readdirSync(dir);
    if (files.some((f) => f.endsWith('.tmp')) || files.filter((f) => f.endsWith('.bin')).length > 1) midSave++;
    const gen = await loadGenerator(dir);
    const hash = weightsHash(gen.model);
    gen.dispose();
    expect(expected, `kill ${i} after "${stdout.trim().split('\n').at(-1)}" left weights of neither save`).toContain(hash);
    versions.add(hash);
  }
  // The next save cleans up what the kills left behind.
  const gan = mlpGan({ seed: 1 });
  await saveGenerator(gan, dir);
  gan.dispose();
  expectNoTempFiles(dir);
  expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
  return { midSave, versions };
}


/** Hashes of G and D weights after each step 1..steps of the crash run, computed in this process (cpu is bitwise repeatable). */
async function referenceHashes(steps: number): Promise<string[]> {
  const { gan, trainer, data } = crashRun();
  const hashes = [''];
  for (let i = 1; i <= steps; i++) {
    await trainer.fit(data, { steps: 1 });
    hashes.push(weightsHash(gan.generator) + weightsHash(gan.discriminator));
  }
  trainer.dispose();
  gan.dispose();
  return hashes;
}

/**
 * Runs `kills` rounds of: a child trains and checkpoints after every step, it is SIGKILLed at a
 * random moment, then the checkpoint must resume to exactly the weights of the step it claims.
 * Returns how many kills landed mid-save (temp or second tensors file left) and the steps resumed.
 */
export async function killWhileCheckpointing(kills: number): Promise<{ midSave: number; steps: number[] }> {
  await tf.setBackend('cpu');
  const dir = mkdtempSync(path.join(tmpdir(), 'aigc-crash-ckpt-'));
  let reference: string[] = [];
  let midSave = 0;
  const steps: number[] = [];
  for (let i = 0; i < kills; i++) {
    await killAfter(trainerChild, [dir], 1, Math.random() * 400);
    const files = readdirSync(dir);
    if (files.some((f) => f.endsWith('.tmp')) || files.filter((f) => f.endsWith('.bin')).length > 1) midSave++;
    const trainer = await Trainer.resume(dir, { backend: 'cpu' });
    const step = trainer.globalStep;
    if (step >= reference.length) reference = await referenceHashes(step + 20);
    expect(weightsHash(trainer.model.generator) + weightsHash(trainer.model.discriminator), `kill ${i}: checkpoint of step ${step}`).toBe(reference[step]);
    steps.push(step);
    trainer.dispose();
    trainer.model.dispose();
  }
  // Saving again cleans up what the kills left behind.
  const trainer = await Trainer.resume(dir, { backend: 'cpu' });
  await trainer.save(dir);
  trainer.dispose();
  trainer.model.dispose();
  expectNoTempFiles(dir);
  expect(readdirSync(dir).filter((f) => f.endsWith('.bin'))).toHaveLength(1);
  return { midSave, steps };
}
