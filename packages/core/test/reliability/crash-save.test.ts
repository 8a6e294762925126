/**
 * SIGKILL at random moments while a generator is saved and while a trainer checkpoint is written,
 * over and over: the folder must always hold one complete save (exactly the weights of a finished one).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@aigc/core';
import { killWhileCheckpointing, killWhileSaving } from './crash.js';

/** Kills per test in the fast suite; the slow suite runs 30. */
const KILLS = 8;

describe('SIGKILL while saving a generator', () => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });
  it(`always leaves the previous or the new save complete (${KILLS} kills)`, async () => {
    const { midSave, versions } = await killWhileSaving(KILLS);
    console.log(`crash test: ${KILLS} kills, ${midSave} landed mid-save, versions seen: ${versions.size}`);
    expect(versions.size).toBeGreaterThan(0);
  });
});

describe('SIGKILL while writing a trainer checkpoint', () => {
  it(`always leaves a checkpoint that resumes to exactly the step it claims (${KILLS} kills)`, async () => {
    const { midSave, steps } = await killWhileCheckpointing(KILLS);
    console.log(`checkpoint crash test: ${KILLS} kills, ${midSave} landed mid-save, resumed steps ${steps.join(' ')}`);
    expect(steps.every((s) => s >= 1)).toBe(true);
  });
});
