import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, writeFileSync, readdirSync, truncateSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { tf } from '../tf.js';
import { DownloadError, InvalidArgumentError, ModelFormatError } from '../errors.js';
import { mlpGan } from '../models/mlp-gan.js';
import { dcgan } from '../models/dcgan.js';
import { loadGenerator, loadGeneratorFromUrl, loadLayersModelFromDir, saveGenerator } from './model-io.js';

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

  it('loads a conditional generator as conditional: same images per class, labels required', async () => {
    const gan = dcgan({ latentDim: 4, numClasses: 3, generatorFilters: 4, discriminatorFilters: 4, seed: 2 });
    const dir = fresh();
    await saveGenerator(gan, dir);
    const json = JSON.parse(readFileSync(path.join(dir, 'model.json'), 'utf8'));
    expect(json.userDefinedMetadata.aigc.numClasses).toBe(3);
    const gen = await loadGenerator(dir);
    expect(gen.numClasses).toBe(3);
    expect(gen.latentDim).toBe(4);
    expect(gen.imageShape).toEqual([28, 28, 1]);
    const before = tf.memory().numTensors;
    for (const labels of [[0, 1, 2, 0], [2, 2, 1, 0]]) {
      const a = gan.sample(4, { seed: 5, labels });
      const b = gen.sample(4, { seed: 5, labels });
      expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
      tf.dispose([a, b]);
    }
    // Different classes give different images for the same latents.
    const c0 = gen.sample(1, { seed: 5, labels: [0] });
    const c1 = gen.sample(1, { seed: 5, labels: [1] });
    expect(tf.tidy(() => tf.max(tf.abs(tf.sub(c0, c1))).dataSync()[0])).toBeGreaterThan(1e-4);
    tf.dispose([c0, c1]);
    const z = tf.zeros([2, 4]) as tf.Tensor2D;
    expect(() => gen.generate(z)).toThrow(InvalidArgumentError);
    z.dispose();
    expect(tf.memory().numTensors).toBe(before);
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

describe('loadGeneratorFromUrl', () => {
  /** Files served by the local server; 'endless' streams zeros forever. */
  const files = new Map<string, Uint8Array | 'endless'>();
  const requests: string[] = [];
  let server: Server;
  let base: string;
  let gan: ReturnType<typeof tiny>;

  beforeAll(async () => {
    gan = tiny(7);
    const dir = fresh();
    await saveGenerator(gan, dir);
    for (const name of readdirSync(dir)) files.set(`/models/g/${name}`, readFileSync(path.join(dir, name)));
    files.set('/secret.bin', new Uint8Array(8));
    server = createServer((req, res) => {
      requests.push(req.url ?? '');
      const body = files.get(req.url ?? '');
      if (body === undefined) return void res.writeHead(404).end();
      if (body === 'endless') {
        res.writeHead(200);
        const chunk = Buffer.alloc(64 * 1024);
        const pump = () => {
          while (res.write(chunk)) if (res.destroyed) return;
          res.once('drain', pump);
        };
        res.on('error', () => undefined);
        return pump();
      }
      res.writeHead(200, { 'content-length': body.byteLength }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
    gan.dispose();
  });

  /** Serves an edited copy of the saved model.json under `/models/<name>/`. */
  function serveEdited(name: string, edit: (json: { weightsManifest: Array<{ paths: string[] }> }) => void): string {
    const json = JSON.parse(new TextDecoder().decode(files.get('/models/g/model.json') as Uint8Array));
    edit(json);
    files.set(`/models/${name}/model.json`, new TextEncoder().encode(JSON.stringify(json)));
    return `${base}/models/${name}/model.json`;
  }

  it('loads a generator over http and samples the same images', async () => {
    const gen = await loadGeneratorFromUrl(`${base}/models/g/model.json`);
    const a = gan.sample(2, { seed: 3 });
    const b = gen.sample(2, { seed: 3 });
    expect(Array.from(b.dataSync())).toEqual(Array.from(a.dataSync()));
    tf.dispose([a, b]);
    gen.dispose();
  });

  it('accepts only http: and https: URLs', async () => {
    for (const url of ['file:///etc/passwd', 'ftp://127.0.0.1/model.json', 'data:application/json,{}', 'not a url']) {
      const error = await loadGeneratorFromUrl(url).catch((e: unknown) => e);
      expect(InvalidArgumentError.isInstance(error), url).toBe(true);
      expect((error as Error).message).toMatch(/needs an http: or https: URL/);
    }
  });

  it('refuses weight paths that leave the model folder without requesting them', async () => {
    for (const [name, p] of [['up', '../../secret.bin'], ['abs', '/secret.bin'], ['url', `${base}/secret.bin`]] as const) {
      const url = serveEdited(name, (j) => {
        j.weightsManifest[0]!.paths = [p];
      });
      const error = await loadGeneratorFromUrl(url).catch((e: unknown) => e);
      expect(ModelFormatError.isInstance(error), name).toBe(true);
    }
    expect(requests).not.toContain('/secret.bin');
  });

  it('caps a weights file that is longer than declared (an endless stream)', async () => {
    const url = serveEdited('endless', (j) => {
      j.weightsManifest[0]!.paths = ['w.bin'];
    });
    files.set('/models/endless/w.bin', 'endless');
    const error = await loadGeneratorFromUrl(url).catch((e: unknown) => e);
    expect(DownloadError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/larger than the \d+-byte limit \(more than \d+ bytes received\)/);
  });

  it('caps model.json by maxJsonBytes using Content-Length, and reports HTTP errors', async () => {
    const big = await loadGeneratorFromUrl(`${base}/models/g/model.json`, { maxJsonBytes: 64 }).catch((e: unknown) => e);
    expect(DownloadError.isInstance(big)).toBe(true);
    expect((big as Error).message).toMatch(/64-byte limit \(Content-Length \d+\)/);
    const missing = await loadGeneratorFromUrl(`${base}/models/none/model.json`).catch((e: unknown) => e);
    expect(DownloadError.isInstance(missing)).toBe(true);
    expect((missing as Error).message).toMatch(/HTTP 404.*check the URL/);
  });

  it('rejects weights that are shorter than declared', async () => {
    const url = serveEdited('short', (j) => {
      j.weightsManifest[0]!.paths = ['w.bin'];
    });
    files.set('/models/short/w.bin', new Uint8Array(12));
    const error = await loadGeneratorFromUrl(url).catch((e: unknown) => e);
    expect(ModelFormatError.isInstance(error)).toBe(true);
    expect((error as Error).message).toMatch(/hold 12 bytes but model.json declares \d+/);
  });
});
