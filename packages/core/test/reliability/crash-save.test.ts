/**
 * SIGKILL at random moments while a generator is being saved, over and over: the folder must
 * always hold one complete, loadable save (exactly the weights of a save that finished).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '@aigc/core';
import { killWhileSaving } from './crash.js';

/** Kills in the fast suite; the slow suite runs 30. */
const KILLS = 12;

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
