/**
 * The default wasm backend's thread choice in real Node processes (the built package): one core
 * available (taskset) picks one thread; AIGC_WASM_THREADS pins it; a threaded run exits by itself;
 * and 1 and 2 threads train to bitwise identical weights on every model kind.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { createRequire } from 'node:module';

const pkgDir = fileURLToPath(new URL('../../..', import.meta.url));
const esmEntry = pathToFileURL(path.join(pkgDir, 'dist/index.js')).href;
const wasmBundle = pathToFileURL(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')).href;
const dir = mkdtempSync(path.join(tmpdir(), 'aigc-wasm-auto-'));

/**
 * Trains a few Trainer steps of each model on the default backend ('wasm', thread count by its
 * default rule or AIGC_WASM_THREADS), prints one JSON line with the thread choice and a SHA-256 of
 * each model's final weights and losses; must then exit on its own.
 */
const script = `
import { createHash } from 'node:crypto';
import { tf, mlpGan, dcgan, mlpVae, convVae, Trainer, ImageDataset, useBackend, wasmThreadsInfo } from '${esmEntry}';
import * as wasm from '${wasmBundle}';
// The default backend, as a Trainer without a backend option sets it (models are built after).
await useBackend();
const only = process.argv[2] ? process.argv[2].split(',') : null;
function images(h, w, c, n) {
  const out = new Float32Array(n * h * w * c);
  for (let i = 0; i < out.length; i++) out[i] = ((i * 7919 + (i % 13) * 31) % 200) / 100 - 1;
  return ImageDataset.fromArrays({ images: out, imageShape: [h, w, c], ...(c === 1 ? { labels: Int32Array.from({ length: n }, (_, i) => i % 2) } : {}) });
}
const models = {
  mlp: () => [mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [64], discriminatorUnits: [64], seed: 1 }), [8, 8, 1]],
  dcgan: () => [dcgan({ latentDim: 16, resolution: 16, channels: 1, generatorFilters: 16, discriminatorFilters: 16, seed: 1 }), [16, 16, 1]],
  dcganColour: () => [dcgan({ latentDim: 16, resolution: 16, channels: 3, generatorFilters: 16, discriminatorFilters: 16, seed: 1 }), [16, 16, 3]],
  dcganConditional: () => [dcgan({ latentDim: 16, resolution: 16, channels: 1, generatorFilters: 16, discriminatorFilters: 16, numClasses: 2, seed: 1 }), [16, 16, 1]],
  mlpVae: () => [mlpVae({ imageShape: [8, 8, 1], latentDim: 4, seed: 1 }), [8, 8, 1]],
  convVae: () => [convVae({ imageShape: [16, 16, 1], latentDim: 4, filters: 8, seed: 1 }), [16, 16, 1]],
};
const out = { hashes: {} };
for (const [name, build] of Object.entries(models)) {
  if (only && !only.includes(name)) continue;
  const [model, [h, w, c]] = build();
  const trainer = new Trainer(model, { batchSize: 16, seed: 3 });
  const hist = await trainer.fit(images(h, w, c, 64), { steps: 4 });
  const hash = createHash('sha256');
  const vars = model.encoderVariables ? [...model.encoderVariables(), ...model.decoderVariables()] : [...model.generatorVariables(), ...model.discriminatorVariables()];
  for (const v of vars) hash.update(Buffer.from((await v.data()).buffer));
  hash.update(JSON.stringify(hist.metrics));
  out.hashes[name] = hash.digest('hex').slice(0, 16);
  out.backend = trainer.backend;
  out.backendInfo = trainer.backendInfo;
  trainer.dispose(); model.dispose();
}
if (!only) {
  // Products large enough for XNNPACK to split over its threads (the models' layers are small).
  const a = tf.randomUniform([256, 320], -1, 1, 'float32', 1), b = tf.randomUniform([320, 288], -1, 1, 'float32', 2);
  const x = tf.randomUniform([16, 32, 32, 16], -1, 1, 'float32', 3), k = tf.randomUniform([5, 5, 16, 32], -1, 1, 'float32', 4);
  const hash = createHash('sha256');
  for (const t of [tf.matMul(a, b), tf.conv2d(x, k, 2, 'same')]) hash.update(Buffer.from((await t.data()).buffer));
  out.hashes.products = hash.digest('hex').slice(0, 16);
}
out.info = wasmThreadsInfo();
out.threads = wasm.getThreadsCount();
console.log(JSON.stringify(out));
`;

interface Result {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stderr: string;
  readonly ms: number;
  readonly json: { hashes?: Record<string, string>; threads?: number; info?: Record<string, unknown>; backend?: string; backendInfo?: Record<string, unknown> };
}

/** Runs the script in a fresh `node` (optionally under `prefix`, e.g. taskset) with the given AIGC_WASM_THREADS. */
function run(envValue: string | undefined, args: string[] = [], prefix: string[] = []): Result {
  const file = path.join(dir, 'train.mjs');
  writeFileSync(file, script);
  const env = { ...process.env };
  delete env['AIGC_WASM_THREADS'];
  if (envValue !== undefined) env['AIGC_WASM_THREADS'] = envValue;
  const cmd = prefix.length ? prefix[0]! : process.execPath;
  const argv = prefix.length ? [...prefix.slice(1), process.execPath, file, ...args] : [file, ...args];
  const start = Date.now();
  const r = spawnSync(cmd, argv, { encoding: 'utf8', timeout: 180_000, env });
  const ms = Date.now() - start;
  let json: Result['json'] = {};
  try {
    json = JSON.parse(r.stdout.trim().split('\n').at(-1) ?? '') as Result['json'];
  } catch {
    // Left empty: the exit assertion shows stderr.
  }
  return { status: r.status, signal: r.signal, stderr: r.stderr, ms, json };
}

function expectCleanExit(r: Result): void {
  // A pthread worker keeping the process alive would hit the 180 s timeout: status null, signal SIGTERM.
  expect({ status: r.status, signal: r.signal, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
}

const hasTaskset = spawnSync('taskset', ['-c', '0', 'true']).status === 0;

beforeAll(() => {
  if (!existsSync(path.join(pkgDir, 'dist/index.js'))) execFileSync('npx', ['tsup'], { cwd: pkgDir, stdio: 'ignore' });
}, 300_000);

describe('the default wasm thread choice in a Node process', () => {
  it('one core available (taskset -c 0): picks one thread and says why', (ctx) => {
    if (!hasTaskset) {
      console.log('skipped: taskset (util-linux) is not installed, so no process can be limited to one core here');
      ctx.skip();
    }
    const r = run(undefined, ['mlp'], ['taskset', '-c', '0']);
    expectCleanExit(r);
    expect(r.json.threads).toBe(1);
    expect(r.json.info).toMatchObject({ threads: 1, setting: 'auto', source: 'default', reason: 'auto: 1 core available (os.availableParallelism() = 1)' });
    expect(r.json.backendInfo).toMatchObject({ name: 'wasm', threads: 1, threadsReason: 'auto: 1 core available (os.availableParallelism() = 1)' });
  });

  it('AIGC_WASM_THREADS=2: trains threaded on every model and the process exits by itself', () => {
    const r = run('2');
    expectCleanExit(r);
    expect(r.json.threads).toBe(2);
    expect(r.json.info).toMatchObject({ threads: 2, setting: 2, source: 'env', reason: 'pinned to 2' });
    expect(Object.keys(r.json.hashes ?? {})).toHaveLength(7);
    console.log(`2 threads: 6 models x 4 steps, exited by itself in ${r.ms} ms`);
    // Same script on one thread: XNNPACK splits output tiles (not sums) over its threads, and aigc's
    // own kernels run on the calling thread, so the weights and losses are bitwise identical.
    const one = run('1');
    expectCleanExit(one);
    expect(one.json.threads).toBe(1);
    expect(one.json.info).toMatchObject({ threads: 1, source: 'env' });
    expect(r.json.hashes).toEqual(one.json.hashes);
  });

  it('AIGC_WASM_THREADS with a bad value: the first Trainer fails saying what to set', () => {
    const r = run('lots', ['mlp']);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/AIGC_WASM_THREADS="lots" is not a thread setting\. Set it to auto, true, false or a positive integer/);
  });
});
