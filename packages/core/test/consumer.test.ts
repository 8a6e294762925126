/**
 * A consumer outside the workspace: `npm pack` @aigc/core, install the tarball into a temp
 * app, and train 20 steps from ESM and from CJS, switching `backend: 'cpu'` to `'wasm'` by one line.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const pkgDir = fileURLToPath(new URL('..', import.meta.url));
const app = mkdtempSync(path.join(tmpdir(), 'aigc-consumer-'));

const program = (backend: string, esm: boolean) => `
${esm ? "import { mlpGan, Trainer, ImageDataset, tf } from '@aigc/core';" : "const { mlpGan, Trainer, ImageDataset, tf } = require('@aigc/core');"}
${esm ? "import { writePng } from '@aigc/core/node';" : "const { writePng } = require('@aigc/core/node');"}
async function main() {
  const n = 64, images = new Float32Array(n * 64);
  for (let i = 0; i < images.length; i++) images[i] = ((i * 7919) % 200) / 100 - 1;
  const data = ImageDataset.fromArrays({ images, imageShape: [8, 8, 1] });
  const gan = mlpGan({ latentDim: 8, imageShape: [8, 8, 1], generatorUnits: [16], discriminatorUnits: [16], seed: 1 });
  const trainer = new Trainer(gan, { backend: '${backend}', batchSize: 16, seed: 1 });
  const h = await trainer.fit(data, { steps: 20 });
  if (typeof writePng !== 'function') throw new Error('no node entry');
  console.log(JSON.stringify({ backend: trainer.backend, tf: tf.getBackend(), steps: h.steps, last: h.metrics[19].dLoss }));
}
main().catch((e) => { console.error(e); process.exit(1); });
`;

beforeAll(() => {
  if (!existsSync(path.join(pkgDir, 'dist/index.js'))) {
    execFileSync('npx', ['tsup'], { cwd: pkgDir, stdio: 'ignore' });
  }
  const tarball = execFileSync('npm', ['pack', '--pack-destination', app], { cwd: pkgDir, encoding: 'utf8' }).trim().split('\n').at(-1)!;
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(app, tarball)], {
    cwd: app,
    stdio: 'ignore',
  });
}, 600_000);

describe('packed @aigc/core in an outside app', () => {
  for (const esm of [true, false]) {
    for (const backend of ['cpu', 'wasm']) {
      it(`trains 20 steps from ${esm ? 'ESM' : 'CJS'} on ${backend}`, () => {
        const file = path.join(app, `train-${backend}.${esm ? 'mjs' : 'cjs'}`);
        writeFileSync(file, program(backend, esm));
        const r = spawnSync(process.execPath, [file], { cwd: app, encoding: 'utf8', timeout: 240_000 });
        expect(r.stderr).not.toMatch(/Error/);
        expect(r.status).toBe(0);
        const out = JSON.parse(r.stdout.trim().split('\n').at(-1)!);
        expect(out).toMatchObject({ backend, tf: backend, steps: 20 });
        expect(Number.isFinite(out.last)).toBe(true);
      });
    }
  }
});
