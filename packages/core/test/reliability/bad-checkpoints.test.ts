/**
 * Bad-input catalogue, checkpoints: corrupted, truncated, hostile or other-version checkpoint
 * folders, and trainer options that do not fit. Targets outside the folder are FIFOs, so a read would hang.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, symlinkSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { ImageDataset, InvalidArgumentError, ModelFormatError, Trainer, mlpGan, tf } from '@aigc/core';
import '@aigc/core/node';
import { catalogue } from './catalogue.js';

const fresh = () => mkdtempSync(path.join(tmpdir(), 'aigc-badckpt-'));
const outside = fresh();
const fifo = path.join(outside, 'secret.bin');
const data = ImageDataset.fromArrays({ images: new Float32Array(32 * 16).map((_, i) => Math.sin(i) * 0.9), imageShape: [4, 4, 1] });
const tiny = (units = 8) => mlpGan({ latentDim: 4, imageShape: [4, 4, 1], generatorUnits: [units], discriminatorUnits: [8], seed: 1 });
let saved = '';
type Manifest = { tensors: { file: string; bytes: number }; arrays: Array<Record<string, unknown>>; state: Record<string, any>; formatVersion: number; format: string };
let manifest: Manifest;

beforeAll(async () => {
  await tf.setBackend('cpu');
  execFileSync('mkfifo', [fifo]);
  const gan = tiny();
  const trainer = new Trainer(gan, { backend: 'cpu', batchSize: 8, seed: 1 });
  await trainer.fit(data, { steps: 3 });
  saved = fresh();
  await trainer.save(saved);
  trainer.dispose();
  gan.dispose();
  manifest = JSON.parse(readFileSync(path.join(saved, 'manifest.json'), 'utf8'));
});

/** A copy of the saved checkpoint with its manifest edited by `edit`, then its files damaged by `damage`. */
function damaged(edit: (m: Manifest) => void, damage: (dir: string) => void = () => undefined): string {
  const dir = fresh();
  for (const name of readdirSync(saved)) writeFileSync(path.join(dir, name), readFileSync(path.join(saved, name)));
  const m = structuredClone(manifest);
  edit(m);
  writeFileSync(path.join(dir, 'manifest.json'), JSON.stringify(m));
  damage(dir);
  return dir;
}
const asIs = () => undefined;
const resume = (dir: string, options: Parameters<typeof Trainer.resume>[1] = {}) => Trainer.resume(dir, { backend: 'cpu', ...options });
const tensors = (dir: string) => path.join(dir, manifest.tensors.file);
const generatorLayers = (m: Manifest) => m.state.model.networks.generator.config.layers as Array<{ config: Record<string, unknown> }>;

describe('corrupted, truncated and other-version checkpoints', () => {
  catalogue([
    {
      name: 'checkpoint folder that does not exist',
      run: () => resume(path.join(fresh(), 'none')),
      error: ModelFormatError,
      what: /folder does not exist/,
      fix: /Pass the folder that trainer\.save\(\) wrote/,
    },
    {
      name: 'truncated checkpoint manifest',
      run: () => resume(damaged(asIs, (d) => truncateSync(path.join(d, 'manifest.json'), 50))),
      error: ModelFormatError,
      what: /manifest\.json is not valid JSON/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'truncated checkpoint tensors file',
      run: () => resume(damaged(asIs, (d) => truncateSync(tensors(d), 16))),
      error: ModelFormatError,
      what: /holds 16 bytes but the manifest declares \d+; it is truncated/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint tensors with a flipped byte',
      run: () =>
        resume(
          damaged(asIs, (d) => {
            const bytes = readFileSync(tensors(d));
            bytes[7]! ^= 0x40;
            writeFileSync(tensors(d), bytes);
          }),
        ),
      error: ModelFormatError,
      what: /does not match its checksum/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint tensors file missing',
      run: () => resume(damaged(asIs, (d) => execFileSync('rm', [tensors(d)]))),
      error: ModelFormatError,
      what: /tensors file tensors-[0-9a-f]+\.bin is missing/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint of a newer format version',
      run: () => resume(damaged((m) => void (m.formatVersion = 3))),
      error: ModelFormatError,
      what: /format version 3; this @aigc\/core reads versions 1 and 2/,
      fix: /Use the @aigc\/core version that saved it/,
    },
    {
      name: 'folder holding something else than a checkpoint',
      run: () => resume(damaged((m) => void (m.format = 'tfjs-layers'))),
      error: ModelFormatError,
      what: /not an aigc trainer checkpoint/,
      fix: /Pass the folder that trainer\.save\(\) wrote/,
    },
    {
      name: 'checkpoint state without its config',
      run: () => resume(damaged((m) => void delete m.state.config)),
      error: ModelFormatError,
      what: /state is malformed/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint resumed into a model of another architecture',
      run: async () => {
        const other = tiny(16);
        try {
          return await resume(saved, { model: other });
        } finally {
          other.dispose();
        }
      },
      error: ModelFormatError,
      what: /has shape \[4, 8\] but the model needs \[4, 16\]/,
      fix: /saved from another architecture/,
    },
  ]);
});

describe('hostile checkpoint manifests', () => {
  catalogue([
    {
      name: 'checkpoint tensors path leaving the folder',
      run: () => resume(damaged((m) => void (m.tensors.file = '../' + path.basename(outside) + '/secret.bin'))),
      error: ModelFormatError,
      what: /tensors file ".*secret.bin", refused as unsafe/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint tensors file that is a symlink outside',
      run: () =>
        resume(
          damaged(asIs, (d) => {
            execFileSync('rm', [tensors(d)]);
            symlinkSync(fifo, tensors(d));
          }),
        ),
      error: ModelFormatError,
      what: /is a link to a file outside the folder/,
      fix: /copy the file in instead/,
    },
    {
      name: 'checkpoint manifest that is a symlink outside',
      run: () =>
        resume(
          damaged(asIs, (d) => {
            execFileSync('rm', [path.join(d, 'manifest.json')]);
            symlinkSync(fifo, path.join(d, 'manifest.json'));
          }),
        ),
      error: ModelFormatError,
      what: /"manifest\.json" is a link to a file outside the folder/,
      fix: /copy the file in instead/,
    },
    {
      name: 'checkpoint declaring 1 TiB of tensors',
      run: () => resume(damaged((m) => void (m.tensors.bytes = 2 ** 40))),
      error: ModelFormatError,
      what: /declares 1099511627776 bytes of tensors/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint array of an overflowing shape',
      run: () => resume(damaged((m) => void (m.arrays[0]!.shape = [1e10, 1e10, 1e10]))),
      error: ModelFormatError,
      what: /manifest entry of "generator\/0" is inconsistent/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint array entry that is null',
      run: () => resume(damaged((m) => void (m.arrays[1] = null as never))),
      error: ModelFormatError,
      what: /manifest entry of undefined is inconsistent/,
      fix: /Resume from an older checkpoint/,
    },
    {
      name: 'checkpoint topology with a Dense layer of 1e9 units',
      run: () => resume(damaged((m) => void (generatorLayers(m)[0]!.config.units = 1e9))),
      error: ModelFormatError,
      what: /generator.*asks for a weight "kernel" of shape \[4,1000000000\]/,
      fix: /Re-save it from the original model/,
    },
    {
      name: 'checkpoint topology with an unknown layer class',
      run: () => resume(damaged((m) => void ((generatorLayers(m)[0] as { class_name?: string }).class_name = 'Lambda'))),
      error: ModelFormatError,
      what: /Cannot rebuild the generator from the checkpoint: the topology is invalid/,
      fix: /topology/,
    },
  ]);
  it('never touched the files outside', () => {
    expect(readdirSync(outside)).toEqual(['secret.bin']);
  });
});

describe('trainer options around checkpoints and n-critic', () => {
  catalogue([
    {
      name: 'n-critic ratio below 1',
      run: () => new Trainer(tiny(), { backend: 'cpu', discriminatorSteps: 0 }),
      error: InvalidArgumentError,
      what: /discriminatorSteps must be a positive integer, got 0/,
      fix: /positive integer/,
    },
    {
      name: 'negative gradient clip norm',
      run: () => new Trainer(tiny(), { backend: 'cpu', gradientClipNorm: -1 }),
      error: InvalidArgumentError,
      what: /gradientClipNorm/,
      fix: /positive|> 0|>= 0/,
    },
    {
      name: 'EMA decay of 1 or more',
      run: () => new Trainer(tiny(), { backend: 'cpu', ema: { decay: 1.5 } }),
      error: InvalidArgumentError,
      what: /ema\.decay must be in \[0, 1\), got 1\.5/,
      fix: /\[0, 1\)/,
    },
  ]);
});
