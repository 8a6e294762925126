/**
 * Checkpoints of format version 1 (saved by @aigc/core 0.1.0, before the Trainer was split into
 * objectives) keep loading, and training continues bit-exactly on cpu: the fixtures hold the
 * metrics the saving run itself produced for the two steps after the save.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { Trainer, tf } from '@aigc/core';
import '@aigc/core/node';
import { toyImages } from '../src/training/toy-data.test-utils.js';

const fixture = (name: string) => fileURLToPath(new URL(`./fixtures/checkpoint-v1/${name}`, import.meta.url));

describe('format-version-1 checkpoints', () => {
  for (const [name, labels] of [['mlp-ema-r1', false], ['acgan', true]] as const) {
    it(`${name}: resumes and continues exactly as the run that saved it`, async () => {
      await tf.setBackend('cpu');
      const expected = JSON.parse(readFileSync(`${fixture(name)}/expected.json`, 'utf8')).metrics as Array<Record<string, number>>;
      const trainer = await Trainer.resume(fixture(name), { backend: 'cpu' });
      expect(trainer.globalStep).toBe(2);
      const h = await trainer.fit(toyImages(16, 8, labels), { steps: 2 });
      expect(h.metrics.map((m) => ({ ...m }))).toEqual(expected);
      trainer.dispose();
      trainer.model.dispose();
    });
  }
});
