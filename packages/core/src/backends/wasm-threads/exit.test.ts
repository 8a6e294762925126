/**
 * Multi-threaded wasm in real Node processes (the built package): training ends and the process
 * exits by itself (no pthread worker keeps it alive), from ESM and CJS; the documented errors
 * and the fallback list work in fresh processes.
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
const cjsEntry = path.join(pkgDir, 'dist/index.cjs');
/** The tfjs-backend-wasm bundle dist/ loads (the child scripts live in a temp folder). */
const wasmBundle = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
const wasmImport = `import * as wasm from '${pathToFileURL(wasmBundle).href}';`;
const dir = mkdtempSync(path.join(tmpdir(), 'aigc-wasm-threads-'));

/** Activates the backend, trains `steps` MLP GAN steps, prints one JSON line; must then exit on its own. */
const trainBody = (backendExpr: string, steps: number) => `
  await useBackend(${backendExpr});
  const n = 64, images = new Float32Array(n * 64);
  for (let i = 0; i < images.length; i++) images[i] = ((i * 7919) % 200) / 100 - 1;
  const data = ImageDataset.fromArrays({ images, imageShape: [8, 8, 1] });
  const gan = mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [64], discriminatorUnits: [64], seed: 1 });
  const trainer = new Trainer(gan, { backend: ${backendExpr}, batchSize: 32, seed: 1 });
  const h = await trainer.fit(data, { steps: ${steps} });
  const threads = trainer.backend === 'wasm' ? wasm.getThreadsCount() : 0;
  trainer.dispose(); gan.dispose();
  console.log(JSON.stringify({ backend: trainer.backend, threads, steps: h.steps, last: h.metrics.at(-1).dLoss }));
`;

interface Result {
  readonly status: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly ms: number;
  readonly json: Record<string, unknown>;
}

function run(name: string, source: string, nodeArgs: string[] = []): Result {
  const file = path.join(dir, name);
  writeFileSync(file, source);
  const start = Date.now();
  const r = spawnSync(process.execPath, [...nodeArgs, file], { encoding: 'utf8', timeout: 90_000 });
  const ms = Date.now() - start;
  const last = r.stdout.trim().split('\n').at(-1) ?? '';
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(last) as Record<string, unknown>;
  } catch {
    // Left empty: the assertions below then show stdout/stderr.
  }
  return { status: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms, json };
}

function expectCleanExit(r: Result): void {
  // A hanging worker would hit the 90 s timeout: status null, signal SIGTERM.
  expect({ status: r.status, signal: r.signal, stderr: r.status === 0 ? '' : r.stderr }).toEqual({ status: 0, signal: null, stderr: '' });
}

beforeAll(() => {
  if (!existsSync(path.join(pkgDir, 'dist/index.js')) || !existsSync(cjsEntry)) {
    execFileSync('npx', ['tsup'], { cwd: pkgDir, stdio: 'ignore' });
  }
}, 300_000);

describe('multi-threaded wasm in a Node process', () => {
  it('ESM: trains on 2 threads and the process exits by itself', () => {
    const r = run(
      'train.mjs',
      `import { mlpGan, Trainer, ImageDataset, useBackend, wasmBackend } from '${esmEntry}';
${wasmImport}
${trainBody('wasmBackend({ threads: 2 })', 30)}`,
    );
    expectCleanExit(r);
    expect(r.json).toMatchObject({ backend: 'wasm', threads: 2, steps: 30 });
    expect(Number.isFinite(r.json['last'])).toBe(true);
    console.log(`ESM child: trained 30 steps on 2 threads and exited in ${r.ms} ms`);
  });

  it('CJS: trains on 2 threads and the process exits by itself', () => {
    const r = run(
      'train.cjs',
      `const { mlpGan, Trainer, ImageDataset, useBackend, wasmBackend } = require(${JSON.stringify(cjsEntry)});
const wasm = require(${JSON.stringify(wasmBundle)});
(async () => {${trainBody('wasmBackend({ threads: 2 })', 10)}})().catch((e) => { console.error(e); process.exitCode = 1; });`,
    );
    expectCleanExit(r);
    expect(r.json).toMatchObject({ backend: 'wasm', threads: 2, steps: 10 });
  });

  it('refuses threads once wasm runs single-threaded, saying what to do', () => {
    const r = run(
      'late.mjs',
      `import { useBackend, wasmBackend } from '${esmEntry}';
await useBackend(wasmBackend({ threads: false }));
try {
  await useBackend(wasmBackend({ threads: 2 }));
  console.log(JSON.stringify({ ok: true }));
} catch (e) {
  console.log(JSON.stringify({ name: e.name, code: e.code, backend: e.backend, message: e.message }));
}`,
    );
    expectCleanExit(r);
    expect(r.json).toMatchObject({ name: 'BackendUnavailableError', code: 'BACKEND_UNAVAILABLE', backend: 'wasm' });
    expect(r.json['message']).toMatch(/already runs single-threaded.*before anything else uses the wasm backend/);
  });

  it('without SharedArrayBuffer: a BackendUnavailableError, and a fallback list trains single-threaded', () => {
    const r = run(
      'no-sab.mjs',
      `import { mlpGan, Trainer, ImageDataset, useBackend, wasmBackend } from '${esmEntry}';
${wasmImport}
let error = null;
try { await useBackend(wasmBackend({ threads: 2 })); } catch (e) { error = { name: e.name, message: e.message }; }
console.log(JSON.stringify(error));
${trainBody("[wasmBackend({ threads: 2 }), 'wasm']", 5)}`,
      ['--no-harmony-sharedarraybuffer'],
    );
    expectCleanExit(r);
    const first = JSON.parse(r.stdout.trim().split('\n')[0] ?? 'null') as { name: string; message: string } | null;
    expect(first?.name).toBe('BackendUnavailableError');
    expect(first?.message).toMatch(/SharedArrayBuffer is unavailable.*without threads/);
    expect(r.json).toMatchObject({ backend: 'wasm', threads: 1, steps: 5 });
  });
});
