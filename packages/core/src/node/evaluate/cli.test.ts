import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tf } from '../../tf.js';
import { loadIdxDirectory } from '../data/idx-directory.js';
import { runEvaluateCli } from './cli.js';
import { npyBytes } from './npy.test-utils.js';

const EMBEDDED = fileURLToPath(new URL('../../../../../examples/data/fashion-mnist', import.meta.url));

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (l: string) => out.push(l), err: (l: string) => err.push(l) }, out, err };
}

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'aigc-evaluate-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('aigc-evaluate CLI', () => {
  it('scores an .npy of real images against the real folder and writes a JSON report', async () => {
    const real = await loadIdxDirectory(EMBEDDED, { split: 't10k' });
    // The last 300 images as 0..255 bytes, the way another framework would save them.
    const bytes = Uint8Array.from(real.images.subarray(9700 * 784), (v) => Math.round((v + 1) * 127.5));
    const npy = join(dir, 'samples.npy');
    await writeFile(npy, npyBytes('|u1', [300, 28, 28], bytes));
    const json = join(dir, 'report.json');
    const { io, out, err } = capture();
    const code = await runEvaluateCli(
      ['--images', npy, '--real', EMBEDDED, '--n', '300', '--metrics', 'fid,classCoverage', '--json', json],
      io,
    );
    expect(err).toEqual([]);
    expect(code).toBe(0);
    const text = out.join('\n');
    expect(text).toContain('.npy file');
    expect(text).toContain('values 0..255');
    expect(text).toContain('FID');
    const report = JSON.parse(await readFile(json, 'utf8'));
    expect(report.samples).toEqual({ generated: 300, real: 300 });
    expect(report.metrics.map((m: { name: string }) => m.name)).toEqual(['fid', 'classCoverage']);
    // Real vs real (disjoint sets of 300): 7.1, FID's small-sample bias; noise scores about 190 (docs/metrics.md).
    expect(report.metrics[0].value).toBeLessThan(15);
    expect(report.backend).toBe(tf.getBackend());
  });

  it('exits 2 with usage on bad arguments and 1 with the message on bad data', async () => {
    const a = capture();
    expect(await runEvaluateCli(['--real', EMBEDDED], a.io)).toBe(2);
    expect(a.err.join('\n')).toContain('exactly one of --images');
    const b = capture();
    expect(await runEvaluateCli(['--images', EMBEDDED, '--metrics', 'fid,bogus'], b.io)).toBe(2);
    expect(b.err.join('\n')).toContain('bogus');
    const c = capture();
    expect(await runEvaluateCli(['--images', join(dir, 'missing.npy'), '--real', EMBEDDED], c.io)).toBe(1);
    expect(c.err.join('\n')).toContain('does not exist');
    const d = capture();
    expect(await runEvaluateCli(['--help'], d.io)).toBe(0);
    expect(d.out.join('\n')).toContain('Usage: aigc-evaluate');
  });
});
