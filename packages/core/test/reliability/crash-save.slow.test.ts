/** Slow suite: 30 SIGKILLs at random moments while saving a generator and while writing trainer checkpoints (the fast suite runs 8 each). */
import { describe, expect, it } from 'vitest';
import { killWhileCheckpointing, killWhileSaving } from './crash.js';

describe('SIGKILL at random moments, 30 times', () => {
  it('while saving a generator: always one complete save, and many kills land mid-save', async () => {
    const { midSave, versions } = await killWhileSaving(30);
    console.log(`crash test: 30 kills, ${midSave} landed mid-save, versions seen: ${versions.size}`);
    expect(midSave).toBeGreaterThan(5);
    expect(versions.size).toBe(2);
  });
  it('while writing trainer checkpoints: always a checkpoint that resumes bitwise to the step it claims', async () => {
    const { midSave, steps } = await killWhileCheckpointing(30);
    console.log(`checkpoint crash test: 30 kills, ${midSave} left temp files, resumed steps ${steps.join(' ')}`);
    expect(midSave).toBeGreaterThan(0);
    expect(new Set(steps).size).toBeGreaterThan(1);
  });
});
