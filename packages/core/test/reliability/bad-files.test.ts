/** Bad-input catalogue, files: saved models, data folders, downloads, PNGs and logs; none leaves a half-written file. */
import { beforeAll, describe, expect, it } from 'vitest';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { DownloadError, InvalidArgumentError, InvalidDataError, ModelFormatError, encodePng, mlpGan, tf } from '@aigc/core';
import {
  downloadMnist,
  jsonlMetricsLogger,
  loadGenerator,
  loadGeneratorFromUrl,
  loadIdxDirectory,
  resolveDataSource,
  saveGenerator,
  writeFileAtomic,
  writePng,
} from '@aigc/core/node';
import { fakeImagesIdx, gzip } from '../../src/data/idx.test-utils.js';
import { catalogue, expectNoTempFiles, listFiles } from './catalogue.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'aigc-badfiles-'));
let saved = '';
let savedJson: Record<string, unknown> = {};

/** A copy of the saved generator folder with model.json edited or files damaged. */
function damaged(damage: (dir: string) => void): string {
  const dir = fresh();
  for (const name of readdirSync(saved)) writeFileSync(path.join(dir, name), readFileSync(path.join(saved, name)));
  damage(dir);
  return dir;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  saved = fresh();
  const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 1 });
  await saveGenerator(gan, saved);
  gan.dispose();
  savedJson = JSON.parse(readFileSync(path.join(saved, 'model.json'), 'utf8'));
});

const weightsFile = (dir: string) => path.join(dir, readdirSync(dir).find((f) => f.endsWith('.bin'))!);

describe('saved models', () => {
  catalogue([
    {
      name: 'model folder that does not exist',
      run: () => loadGenerator(path.join(fresh(), 'missing')),
      error: ModelFormatError,
      what: /there is no model.json/,
      fix: /Pass the folder that saveGenerator/,
    },
    {
      name: 'truncated weights file',
      run: () => loadGenerator(damaged((d) => truncateSync(weightsFile(d), 10))),
      error: ModelFormatError,
      what: /hold 10 bytes but model.json declares \d+/,
      fix: /re-save the model/,
    },
    {
      name: 'truncated model.json',
      run: () => loadGenerator(damaged((d) => truncateSync(path.join(d, 'model.json'), 40))),
      error: ModelFormatError,
      what: /not valid JSON/,
      fix: /re-save the model/,
    },
    {
      name: 'model.json that is a JSON array',
      run: () => loadGenerator(damaged((d) => writeFileSync(path.join(d, 'model.json'), '[]'))),
      error: ModelFormatError,
      what: /not a JSON object/,
      fix: /model\.json/,
    },
    {
      name: 'model.json without a topology',
      run: () => loadGenerator(damaged((d) => writeFileSync(path.join(d, 'model.json'), JSON.stringify({ ...savedJson, modelTopology: null })))),
      error: ModelFormatError,
      what: /no modelTopology/,
      fix: /saved by saveGenerator or tfjs/,
    },
    {
      name: 'model of a newer format version',
      run: () =>
        loadGenerator(
          damaged((d) =>
            writeFileSync(path.join(d, 'model.json'), JSON.stringify({ ...savedJson, userDefinedMetadata: { aigc: { formatVersion: 99, kind: 'generator' } } })),
          ),
        ),
      error: ModelFormatError,
      what: /format version 99/,
      fix: /Use the @aigc\/core version that saved it, or re-save/,
    },
    {
      name: 'model URL that is a local file',
      run: () => loadGeneratorFromUrl(`file://${saved}/model.json`),
      error: InvalidArgumentError,
      what: /needs an http: or https: URL/,
      fix: /use loadGenerator for folders/,
    },
    {
      name: 'saving something that is not a model',
      run: () => saveGenerator({} as never, path.join(fresh(), 'never')),
      error: InvalidArgumentError,
      what: /saveGenerator needs a GanModel/,
      fix: /pass e\.g\. the mlpGan\(\)/,
    },
  ]);
});

describe('data folders and downloads', () => {
  const cache = fresh();
  catalogue([
    {
      name: 'data folder that does not exist',
      run: () => loadIdxDirectory(path.join(fresh(), 'none')),
      error: InvalidDataError,
      what: /does not exist/,
      fix: /pass a folder holding train-images-idx3-ubyte/,
    },
    {
      name: 'data folder without IDX files',
      run: () => loadIdxDirectory(fresh()),
      error: InvalidDataError,
      what: /has no MNIST-format files/,
      fix: /Pass a folder with these files/,
    },
    {
      name: '--data pointing nowhere',
      run: () => resolveDataSource({ data: path.join(fresh(), 'none'), embeddedDir: fresh() }),
      error: InvalidDataError,
      what: /data folder \(--data\) .* does not exist/,
      fix: /pass a folder holding/,
    },
    {
      name: 'data folder with a corrupt gzip images file',
      run: () => {
        const dir = fresh();
        writeFileSync(path.join(dir, 'train-images-idx3-ubyte.gz'), gzip(fakeImagesIdx(4, 4, 4)).subarray(0, 40));
        writeFileSync(path.join(dir, 'train-labels-idx1-ubyte'), Uint8Array.of(0, 0, 8, 1, 0, 0, 0, 4, 0, 1, 2, 3));
        return loadIdxDirectory(dir);
      },
      error: InvalidDataError,
      what: /train-images-idx3-ubyte\.gz.*corrupt or truncated/,
      fix: /download the file again/,
    },
    {
      name: 'download from an ftp: URL',
      run: () => downloadMnist({ baseUrl: 'ftp://example.com/mnist/', cacheDir: cache }),
      error: DownloadError,
      what: /only http: and https: URLs are supported, not ftp:/,
      fix: /pass --data DIR/,
      after: () => expect(readdirSync(cache)).toEqual([]),
    },
    {
      name: 'download of a file name with a path',
      run: () => downloadMnist({ files: ['../../etc/passwd'], cacheDir: cache }),
      error: InvalidArgumentError,
      what: /files must be plain file names/,
      fix: /'train-images-idx3-ubyte\.gz'/,
      after: () => expect(readdirSync(cache)).toEqual([]),
    },
    {
      name: 'downloaded file that is not IDX data',
      run: () =>
        downloadMnist({
          files: ['t10k-labels-idx1-ubyte.gz'],
          cacheDir: cache,
          fetch: async () => new Response('<html>captive portal</html>', { status: 200 }),
        }),
      error: InvalidDataError,
      what: /downloaded file is not valid MNIST data/,
      fix: /Use another baseUrl/,
      after: () => {
        expect(readdirSync(cache)).toEqual([]);
      },
    },
  ]);
});

describe('images and logs', () => {
  const dir = fresh();
  catalogue([
    {
      name: 'PNG raster with too few bytes',
      run: () => writePng(path.join(dir, 'a.png'), { width: 4, height: 4, channels: 1, data: new Uint8Array(3) }),
      error: InvalidArgumentError,
      what: /has 3 bytes but 4x4x1 needs 16/,
      fix: /pass the output of imageGrid/,
      after: () => expect(existsSync(path.join(dir, 'a.png'))).toBe(false),
    },
    {
      name: 'PNG of zero width',
      run: () => encodePng({ width: 0, height: 2, channels: 1, data: new Uint8Array(0) }),
      error: InvalidArgumentError,
      what: /got 0x2x1/,
      fix: /positive integer width and height/,
    },
    {
      name: 'metrics log every 0 steps',
      run: () => jsonlMetricsLogger(path.join(dir, 'm.jsonl'), { every: 0 }),
      error: InvalidArgumentError,
      what: /every must be a positive integer/,
      fix: /log every N-th step/,
    },
  ]);
});

describe('failed writes leave no half-written file', () => {
  it('an OS error during an atomic write leaves the target and no temp file', async () => {
    const dir = fresh();
    writeFileSync(path.join(dir, 'keep.json'), 'old');
    // Renaming a file over a folder fails after the temp file was written.
    const target = path.join(dir, 'folder');
    await writeFileAtomic(path.join(target, 'inner'), 'x');
    const error = await writeFileAtomic(target, 'new').catch((e: unknown) => e);
    expect((error as NodeJS.ErrnoException).code).toMatch(/EISDIR|ENOTEMPTY|EEXIST/);
    expect(listFiles(dir)).toEqual(['folder/inner', 'keep.json']);
    expectNoTempFiles(dir);
  });
  it('a model save that fails mid-way keeps the previous model loadable and complete', async () => {
    const dir = damaged(() => undefined);
    const before = listFiles(dir);
    const gan = mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [8], discriminatorUnits: [8], seed: 2 });
    // Learn the new weights file name, then put a folder there so writing it fails.
    const scratch = fresh();
    await saveGenerator(gan, scratch);
    const newWeights = path.basename(weightsFile(scratch));
    mkdirSync(path.join(dir, newWeights, 'blocker'), { recursive: true });
    const error = await saveGenerator(gan, dir).catch((e: unknown) => e);
    gan.dispose();
    expect((error as NodeJS.ErrnoException).code).toMatch(/EISDIR|ENOTEMPTY|EEXIST/);
    expectNoTempFiles(dir);
    expect(listFiles(dir)).toEqual(before); // files only: the blocking folder is empty
    const gen = await loadGenerator(dir);
    const old = await loadGenerator(saved);
    expect(Array.from(gen.model.getWeights()[0]!.dataSync())).toEqual(Array.from(old.model.getWeights()[0]!.dataSync()));
    gen.dispose();
    old.dispose();
  });
});
