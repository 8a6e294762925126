/**
 * Hostile model files: paths that leave the folder (`..`, absolute, URLs, symlinks), sizes that do
 * not match, huge declared shapes and topologies that would allocate huge weights. The targets
 * outside the folder are FIFOs, so any attempt to read them would hang the test.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tf } from '../tf.js';
import { ModelFormatError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { loadGenerator, loadLayersModelFromDir, saveGenerator } from './model-io.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'aigc-hostile-'));
const outside = fresh();
const fifo = path.join(outside, 'secret.bin');
let json: { modelTopology: Record<string, unknown>; weightsManifest: Array<{ paths: string[]; weights: Array<{ name: string; shape: number[]; dtype: string }> }> };
let bin: Uint8Array;
let binName: string;

beforeAll(async () => {
  await tf.setBackend('cpu');
  execFileSync('mkfifo', [fifo]);
  const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 3 });
  const dir = fresh();
  await saveGenerator(gan, dir);
  gan.dispose();
  json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
  binName = readdirSync(dir).find((f) => f.endsWith('.bin'))!;
  bin = readFileSync(path.join(dir, binName));
});

afterAll(() => {
  expect(readdirSync(outside)).toEqual(['secret.bin']);
});

/** A folder with a model.json built from the saved one by `edit`, plus the saved weights file unless `files` says otherwise. */
function folder(edit: (j: typeof json) => unknown, files: Record<string, Uint8Array> = { [binName]: bin }): string {
  const dir = fresh();
  const copy = structuredClone(json);
  writeFileSync(path.join(dir, 'model.json'), JSON.stringify(edit(copy) ?? copy));
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path.join(dir, name), bytes);
  return dir;
}

const withPaths = (paths: string[]) => (j: typeof json) => {
  j.weightsManifest[0]!.paths = paths;
};

async function rejects(dir: string, message: RegExp): Promise<void> {
  const before = tf.memory().numTensors;
  const error = await loadLayersModelFromDir(dir).catch((e: unknown) => e);
  expect(ModelFormatError.isInstance(error), String(error)).toBe(true);
  expect((error as Error).message).toMatch(message);
  expect(tf.memory().numTensors).toBe(before);
}

describe('weight paths that leave the folder', () => {
  it('rejects "../" paths without opening the target', async () => {
    await rejects(folder(withPaths([`../${path.basename(outside)}/secret.bin`])), /points outside the model folder/);
    await rejects(folder(withPaths(['sub/../../x.bin'])), /points outside the model folder/);
    await rejects(folder(withPaths(['./' + binName])), /points outside the model folder/);
  });
  it('rejects absolute paths, Windows paths and URLs', async () => {
    await rejects(folder(withPaths([fifo])), /plain relative file name/);
    await rejects(folder(withPaths(['C:\\secret.bin'])), /plain relative file name/);
    await rejects(folder(withPaths(['file:///etc/passwd'])), /plain relative file name/);
    await rejects(folder(withPaths(['https://example.com/w.bin'])), /plain relative file name/);
    await rejects(folder(withPaths(['w\u0000.bin'])), /plain relative file name/);
  });
  it('rejects a weights file that is a symlink to a file outside', async () => {
    const dir = folder(withPaths(['w.bin']), {});
    symlinkSync(fifo, path.join(dir, 'w.bin'));
    await rejects(dir, /link to a file outside the folder/);
  });
  it('rejects a weights path through a symlinked sub-folder', async () => {
    const dir = folder(withPaths(['sub/secret.bin']), {});
    symlinkSync(outside, path.join(dir, 'sub'));
    await rejects(dir, /link to a file outside the folder/);
  });
  it('rejects a model.json that is a symlink to a file outside', async () => {
    const dir = fresh();
    symlinkSync(fifo, path.join(dir, 'model.json'));
    await rejects(dir, /link to a file outside the folder/);
  });
  it('accepts a symlink that stays inside the folder, and a symlinked model folder', async () => {
    const dir = folder(withPaths(['link.bin']));
    symlinkSync(binName, path.join(dir, 'link.bin'));
    const linked = path.join(fresh(), 'model');
    symlinkSync(dir, linked);
    const gen = await loadGenerator(linked);
    expect(gen.latentDim).toBe(4);
    gen.dispose();
  });
});

describe('declared sizes', () => {
  it('rejects a manifest declaring 16 GiB before reading the weights file (a FIFO that would hang)', async () => {
    const dir = folder(withPaths(['w.bin']), {});
    execFileSync('mkfifo', [path.join(dir, 'w.bin')]);
    const huge = (j: typeof json) => {
      j.weightsManifest[0]!.weights[0]!.shape = [1 << 20, 1 << 12];
    };
    writeFileSync(path.join(dir, 'model.json'), JSON.stringify({ ...json, weightsManifest: [{ paths: ['w.bin'], weights: [{ name: 'w', shape: [1 << 20, 1 << 12], dtype: 'float32' }] }] }));
    await rejects(dir, /more than the 1073741824-byte limit \(maxWeightBytes\)/);
    await rejects(folder(huge), /more than the 1073741824-byte limit/);
  });
  it('rejects shapes whose size overflows, negative or fractional dims, and unknown dtypes', async () => {
    const shape = (s: unknown) => (j: typeof json) => {
      (j.weightsManifest[0]!.weights[0] as { shape: unknown }).shape = s;
    };
    await rejects(folder(shape([1e10, 1e10, 1e10])), /invalid shape/);
    await rejects(folder(shape([-4, 8])), /invalid shape/);
    await rejects(folder(shape([4.5, 8])), /invalid shape/);
    await rejects(folder(shape('4,8')), /invalid shape/);
    await rejects(
      folder((j) => {
        j.weightsManifest[0]!.weights[0]!.dtype = 'complex64';
      }),
      /unsupported dtype "complex64"/,
    );
  });
  it('rejects weights files shorter or longer than declared', async () => {
    await rejects(folder(() => undefined, { [binName]: bin.subarray(0, bin.length - 4) }), /hold \d+ bytes but model.json declares \d+; .*truncated/);
    await rejects(folder(() => undefined, { [binName]: new Uint8Array([...bin, 0, 0, 0, 0]) }), /hold \d+ bytes but model.json declares/);
  });
  it('rejects a missing weights file, and a folder in its place', async () => {
    await rejects(folder(() => undefined, {}), /weights file ".*" is missing/);
    const dir = folder(() => undefined, {});
    mkdirSync(path.join(dir, binName));
    await rejects(dir, /not a regular file/);
  });
  it('rejects a model.json over maxJsonBytes before parsing it', async () => {
    const dir = folder(() => undefined);
    const error = await loadLayersModelFromDir(dir, { maxJsonBytes: 100 }).catch((e: unknown) => e);
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/over the 100-byte limit \(maxJsonBytes\)/);
  });
});

describe('topologies that do not match their weights', () => {
  const denseUnits = (units: number) => (j: typeof json) => {
    const layers = (j.modelTopology as { config: { layers: Array<{ config: Record<string, unknown> }> } }).config.layers;
    layers[0]!.config.units = units;
  };
  it('refuses a Dense layer of 1e9 units before tfjs allocates it', async () => {
    const rss = process.memoryUsage().rss;
    await rejects(folder(denseUnits(1e9)), /asks for a weight "kernel" of shape \[4,1000000000\], beyond the \d+ values/);
    expect(process.memoryUsage().rss - rss).toBeLessThan(200 * 1024 * 1024);
  });
  it('refuses a later layer of 1e6 units after freeing the weights already made', async () => {
    const wide = (j: typeof json) => {
      const layers = (j.modelTopology as { config: { layers: Array<{ config: Record<string, unknown> }> } }).config.layers;
      layers[1]!.config.units = 1e6;
    };
    await rejects(folder(wide), /beyond the \d+ values its weights manifest declares/);
  });
  it('rejects weights of the right total size but the wrong shapes or names', async () => {
    const transpose = (j: typeof json) => {
      const kernel = j.weightsManifest[0]!.weights[0]!;
      kernel.shape = [...kernel.shape].reverse();
    };
    await rejects(folder(transpose), /do not fit the topology/);
    const rename = (j: typeof json) => {
      j.weightsManifest[0]!.weights[0]!.name = 'other/kernel';
    };
    await rejects(folder(rename), /do not fit the topology/);
  });
  it('rejects stateful layers and topologies tfjs cannot build', async () => {
    const stateful = (j: typeof json) => {
      (j.modelTopology as { config: { layers: Array<{ config: Record<string, unknown> }> } }).config.layers[0]!.config.stateful = true;
    };
    await rejects(folder(stateful), /stateful layer/);
    const unknown = (j: typeof json) => {
      (j.modelTopology as { config: { layers: Array<{ class_name: string }> } }).config.layers[0]!.class_name = 'EvalLayer';
    };
    await rejects(folder(unknown), /the topology is invalid/);
  });
  it('rejects a topology nested a million levels deep without overflowing the stack', async () => {
    const dir = fresh();
    const deep = '['.repeat(1e6) + ']'.repeat(1e6);
    const text = JSON.stringify({ ...json, modelTopology: { config: '@' } }).replace('"@"', deep);
    writeFileSync(path.join(dir, 'model.json'), text);
    writeFileSync(path.join(dir, binName), bin);
    await rejects(dir, /nested more than 64 levels deep/);
  });
  it('rejects another format version before building the model', async () => {
    const v2 = folder((j) => ({ ...j, userDefinedMetadata: { aigc: { formatVersion: 2, kind: 'generator' } } }));
    const error = await loadGenerator(v2).catch((e: unknown) => e);
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/format version 2; this version of @aigc\/core reads version 1\. Use the @aigc\/core version that saved it/);
  });
  it('rejects model.json that is not UTF-8 JSON', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'model.json'), Uint8Array.of(0xff, 0xfe, 0x7b));
    await rejects(dir, /not valid JSON/);
  });
});
