import { beforeAll, describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tf } from '../tf.js';
import { ModelFormatError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { loadGenerator, loadLayersModelFromDir, saveGenerator } from './model-io.js';

const tiny = (seed: number) => mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed });
const fresh = () => mkdtempSync(path.join(tmpdir(), 'aigc-model-'));

beforeAll(async () => {
  await tf.setBackend('cpu');
});

describe('saveGenerator / loadGenerator', () => {
  it('round-trips the weights exactly and samples the same images', async () => {
    const gan = tiny(1);
    const dir = fresh();
    await saveGenerator(gan, dir);
    const gen = await loadGenerator(dir);
    expect(gen.latentDim).toBe(4);
    expect(gen.imageShape).toEqual([4, 4, 1]);
    const a = gan.sample(3, { seed: 5 });
    const b = gen.sample(3, { seed: 5 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    gen.dispose();
    gan.dispose();
  });

  it('replaces a previous save and leaves one weights file and no temp files', async () => {
    const dir = fresh();
    const g1 = tiny(1);
    const g2 = tiny(2);
    await saveGenerator(g1, dir);
    await saveGenerator(g2, dir);
    const files = readdirSync(dir).sort();
    expect(files.filter((f) => f.endsWith('.bin'))).toHaveLength(1);
    expect(files.some((f) => f.endsWith('.tmp'))).toBe(false);
    const gen = await loadGenerator(dir);
    const w = gen.model.getWeights()[0]!.dataSync();
    expect(Array.from(w)).toEqual(Array.from(g2.generator.getWeights()[0]!.dataSync()));
    g1.dispose();
    g2.dispose();
    gen.dispose();
  });

  it('rejects a missing folder, a truncated weights file, escaping paths and bad JSON with ModelFormatError', async () => {
    await expect(loadGenerator(path.join(fresh(), 'nope'))).rejects.toThrow(/no model.json/);
    const gan = tiny(3);
    const dir = fresh();
    await saveGenerator(gan, dir);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    const bin = readdirSync(dir).find((f) => f.endsWith('.bin'))!;

    const escaping = fresh();
    writeFileSync(path.join(escaping, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: ['../' + bin] }] }));
    await expect(loadLayersModelFromDir(escaping)).rejects.toThrow(/outside the model folder/);
    const absolute = fresh();
    writeFileSync(path.join(absolute, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ ...json.weightsManifest[0], paths: [path.join(dir, bin)] }] }));
    await expect(loadLayersModelFromDir(absolute)).rejects.toThrow(/plain relative file name/);

    const huge = fresh();
    const bigSpecs = [{ name: 'w', shape: [1 << 20, 1 << 12], dtype: 'float32' }];
    writeFileSync(path.join(huge, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ paths: ['w.bin'], weights: bigSpecs }] }));
    writeFileSync(path.join(huge, 'w.bin'), new Uint8Array(16));
    await expect(loadLayersModelFromDir(huge)).rejects.toThrow(ModelFormatError);

    truncateSync(path.join(dir, bin), 10);
    await expect(loadGenerator(dir)).rejects.toThrow(/truncated/);
    writeFileSync(path.join(dir, 'model.json'), '{"modelTopology": {');
    const err = await loadGenerator(dir).catch((e) => e);
    expect(ModelFormatError.isInstance(err)).toBe(true);
    expect(err.message).toMatch(/not valid JSON/);
    gan.dispose();
  });
});
