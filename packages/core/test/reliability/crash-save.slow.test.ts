/** Slow suite: 30 SIGKILLs at random moments while saving a generator (the fast suite runs 12). */
import { describe, expect, it } from 'vitest';
import { killWhileSaving } from './crash.js';

describe('SIGKILL while saving a generator, 30 times', () => {
  it('always leaves one complete save and most kills land mid-save', async () => {
    const { midSave, versions } = await killWhileSaving(30);
    console.log(`crash test: 30 kills, ${midSave} landed mid-save, versions seen: ${versions.size}`);
    expect(midSave).toBeGreaterThan(5);
    expect(versions.size).toBe(2);
  });
});
