/**
 * Bad-input catalogue, the defects found from outside in issue 14: raw TypeErrors, options
 * accepted then crashing, unchecked manifests, a hanging sampler, a lying gzip trailer, and messages.
 */
import { beforeAll, describe } from 'vitest';
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ImageDataset, InvalidArgumentError, InvalidDataError, ModelFormatError, Trainer, gunzipBytes, mlpGan, tf, truncatedNormalSampler } from '@aigc/core';
import { checkpointCallback, readPngFolder } from '@aigc/core/node';
import { gzip } from '../../src/data/idx.test-utils.js';
import { catalogue } from './catalogue.js';

const tiny = () => mlpGan({ latentDim: 4, imageShape: [2, 2, 1], generatorUnits: [4], discriminatorUnits: [4], seed: 1 });
const gan = tiny();
const data = ImageDataset.fromArrays({ images: new Float32Array(16 * 4), imageShape: [2, 2, 1] });
const trainer = (options: ConstructorParameters<typeof Trainer>[1] = {}) => new Trainer(gan, { backend: 'cpu', batchSize: 4, ...options });
const fresh = () => mkdtempSync(path.join(tmpdir(), 'aigc-split-'));
let saved = '';

/** A copy of the saved checkpoint with its manifest's state edited. */
function edited(edit: (state: Record<string, any>) => void): string {
  const dir = fresh();
  for (const name of readdirSync(saved)) writeFileSync(path.join(dir, name), readFileSync(path.join(saved, name)));
  const m = JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
  edit(m.state);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  return dir;
}

function crc32(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const b of bytes) {
    crc ^= b;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? 0xedb88320 ^ (crc >>> 1) : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

/** A gzip of `bytes` whose trailer declares only the first `keep` bytes, with the CRC of those bytes. */
function lyingGzip(bytes: Uint8Array, keep: number): Uint8Array {
  const g = gzip(bytes).slice();
  const n = g.length;
  const crc = crc32(bytes.subarray(0, keep));
  new DataView(g.buffer, g.byteOffset).setUint32(n - 8, crc, true);
  new DataView(g.buffer, g.byteOffset).setUint32(n - 4, keep, true);
  return g;
}

beforeAll(async () => {
  await tf.setBackend('cpu');
  const t = trainer();
  await t.fit(data, { steps: 2 });
  saved = fresh();
  await t.save(saved);
  t.dispose();
});

const resume = (dir: string) => Trainer.resume(dir, { backend: 'cpu' });

describe('trainer options and calls', () => {
  catalogue([
    { name: 'Trainer options null', run: () => new Trainer(gan, null as never), error: InvalidArgumentError, what: /options must be an object/, fix: /batchSize: 64/ },
    { name: 'undefined callback', run: () => trainer().fit(data, { steps: 1, callbacks: [undefined as never] }), error: InvalidArgumentError, what: /callbacks must be a list of callback objects/, fix: /onStepEnd/ },
    { name: 'instanceNoise as a number', run: () => trainer({ instanceNoise: 0.1 as never }), error: InvalidArgumentError, what: /instanceNoise must be made by instanceNoise\(\).*the number 0\.1/, fix: /instanceNoise\(\{ stddev: 0\.1 \}\)/ },
    { name: 'ema as the string false', run: () => trainer({ ema: 'false' as never }), error: InvalidArgumentError, what: /ema must be true or false, got the string "false"/, fix: /true or false/ },
    { name: 'batchSize as a string', run: () => trainer({ batchSize: '64' as never }), error: InvalidArgumentError, what: /batchSize must be a positive integer, got the string "64"/, fix: /positive integer/ },
    { name: 'save to an empty location', run: () => trainer().save(''), error: InvalidArgumentError, what: /save needs a location.*an empty string/, fix: /a folder in Node/ },
    { name: 'checkpointCallback without a folder', run: () => checkpointCallback(trainer(), undefined as never), error: InvalidArgumentError, what: /needs the folder to save into.*undefined/, fix: /checkpointCallback\('out\/checkpoint'\)/ },
    {
      name: 'step on pixels outside [-1, 1]',
      run: () => trainer().step({ images: tf.fill([4, 2, 2, 1], 3) as tf.Tensor4D }),
      error: InvalidDataError,
      what: /16 pixels of batch 0 lie outside \[-1, 1\] \(they span 3 to 3\)/,
      fix: /x \/ 127\.5 - 1/,
    },
    { name: 'fit with both steps and untilStep', run: () => trainer().fit(data, { steps: 1, untilStep: 3 }), error: InvalidArgumentError, what: /not both \(got steps and untilStep\)/, fix: /either epochs or steps/ },
    { name: 'MLP GAN too large to allocate', run: () => mlpGan({ imageShape: [1e6, 1e6, 1] }), error: InvalidArgumentError, what: /output layer 7\.84e\+14 weights, over the 2\^28/, fix: /dcgan\(\) for large images/ },
    { name: 'truncated sampler with a vanishing threshold', run: () => truncatedNormalSampler(16, { threshold: 1e-12 }), error: InvalidArgumentError, what: /threshold must be at least 0\.01.*got 1e-12/, fix: /0\.5 strong/ },
    { name: 'PNG folder that does not exist', run: () => readPngFolder('/nonexistent-aigc-folder'), error: InvalidDataError, what: /\/nonexistent-aigc-folder does not exist/, fix: /pass a folder of PNG images/ },
  ]);
});

describe('checkpoint manifests validated whole, naming the checkpoint', () => {
  catalogue([
    { name: 'manifest globalStep as a string', run: () => resume(edited((s) => void (s.globalStep = 'abc'))), error: ModelFormatError, what: /checkpoint at .*state\.globalStep is "abc"; it must be an integer >= 0/, fix: /Resume from an older checkpoint/ },
    { name: 'manifest epochPosition negative', run: () => resume(edited((s) => void (s.epochPosition = -100))), error: ModelFormatError, what: /state\.epochPosition is -100/, fix: /Resume from an older checkpoint/ },
    { name: 'manifest batchSize 0', run: () => resume(edited((s) => void (s.config.batchSize = 0))), error: ModelFormatError, what: /checkpoint at .*state\.config\.batchSize is 0/, fix: /Resume from an older checkpoint/ },
    {
      name: 'manifest naming an unknown loss',
      run: () => resume(edited((s) => void (s.config.objective.config.loss.name = 'made-up'))),
      error: ModelFormatError,
      what: /checkpoint at .* names settings this @aigc\/core cannot use: Unknown loss "made-up"/,
      fix: /registerLoss\(name, factory\)/,
    },
  ]);
});

describe('gzip trailers', () => {
  const bytes = new Uint8Array(4000).map((_, i) => (i * 31) % 251);
  catalogue([
    { name: 'gzip trailer declaring fewer bytes (with their CRC)', run: () => gunzipBytes(lyingGzip(bytes, 1000)), error: InvalidDataError, what: /decompressed to 4000 bytes but the trailer declares 1000/, fix: /download the file again/ },
    { name: 'truncated gzip named as truncated', run: () => gunzipBytes(gzip(bytes).subarray(0, 40)), error: InvalidDataError, what: /truncated: the compressed data ends before its end marker/, fix: /download the file again/ },
  ]);
});
