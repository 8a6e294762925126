import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { gzipSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import { parseCliArgs, UsageError, DEFAULT_STEPS } from '../src/args.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = fileURLToPath(new URL('../src/cli.ts', import.meta.url));
const tsx = path.join(root, 'node_modules/.bin/tsx');

function run(args: string[], timeout = 120_000) {
  // Asynchronous, so an HTTP server in this process can answer the child.
  return new Promise<{ status: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(tsx, [cli, ...args], { cwd: root, timeout });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    child.on('close', (status) => resolve({ status, stdout, stderr }));
  });
}

/** A tiny IDX file: magic, dims, payload. */
function idx(type: number, dims: number[], payload: Uint8Array): Buffer {
  const head = Buffer.alloc(4 + 4 * dims.length);
  head[2] = type;
  head[3] = dims.length;
  dims.forEach((d, i) => head.writeUInt32BE(d, 4 + 4 * i));
  return Buffer.concat([head, Buffer.from(payload)]);
}

describe('argument parsing', () => {
  it('has the documented defaults', () => {
    const o = parseCliArgs([]);
    expect(o).toMatchObject({ steps: DEFAULT_STEPS, batch: 128, backend: 'wasm', seed: 42, out: 'out/mnist-gan' });
  });
  it('rejects unknown flags, bad numbers and conflicting flags', () => {
    expect(() => parseCliArgs(['--bogus'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--steps', 'ten'])).toThrow(/--steps must be an integer/);
    expect(() => parseCliArgs(['--batch', '0'])).toThrow(/--batch must be at least 1/);
    expect(() => parseCliArgs(['--steps', '5', '--epochs', '1'])).toThrow(/not both/);
    expect(() => parseCliArgs(['--data', 'x', '--download-mnist'])).toThrow(/not both/);
  });
});

describe('the CLI process', () => {
  it('prints usage for --help and exits 0', async () => {
    const r = await run(['--help']);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('Usage:');
    expect(r.stdout).toContain('--backend NAME');
  });

  it('prints one error line and a pointer to --help for a bad flag and exits 2', async () => {
    const r = await run(['--steps', '0']);
    expect(r.status).toBe(2);
    expect(r.stderr).toBe('Error: --steps must be at least 1, got 0.\nRun "npm run demo -- --help" for usage.\n');
  });

  it('explains a missing data folder and exits 1 without a stack trace', async () => {
    const r = await run(['--data', '/nonexistent/aigc-data', '--steps', '1']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/^Error: .*\/nonexistent\/aigc-data/m);
    expect(r.stderr).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names the package to install for an adapter backend that is missing, and lists known ones for an unknown one', async () => {
    const r = await run(['--backend', 'tpu', '--steps', '1', '--limit', '200']);
    expect(r.status).toBe(1);
    expect(r.stderr).toMatch(/Unknown backend "tpu".*cpu, wasm/);
  });

  it('downloads MNIST-format data from a configurable URL into a cache and trains on it', async () => {
    const n = 256;
    const pixels = new Uint8Array(n * 784).map((_, i) => (i % 7 === 0 ? 255 : 0));
    const labels = new Uint8Array(n).map((_, i) => i % 10);
    const files: Record<string, Buffer> = {
      'train-images-idx3-ubyte.gz': gzipSync(idx(0x08, [n, 28, 28], pixels)),
      'train-labels-idx1-ubyte.gz': gzipSync(idx(0x08, [n], labels)),
      't10k-images-idx3-ubyte.gz': gzipSync(idx(0x08, [n, 28, 28], pixels)),
      't10k-labels-idx1-ubyte.gz': gzipSync(idx(0x08, [n], labels)),
    };
    let requests = 0;
    const server = createServer((req, res) => {
      requests++;
      const body = files[(req.url ?? '').replace(/^\/mnist\//, '')];
      if (!body) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.end(body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const cache = mkdtempSync(path.join(tmpdir(), 'aigc-cache-'));
    const out = mkdtempSync(path.join(tmpdir(), 'aigc-out-'));
    try {
      const args = ['--download-mnist', '--mnist-url', `http://127.0.0.1:${port}/mnist/`, '--cache', cache, '--steps', '2', '--batch', '32', '--backend', 'cpu', '--out', out, '--sample-every', '0'];
      const r = await run(args);
      expect(r.stderr).not.toMatch(/Error/);
      expect(r.status).toBe(0);
      expect(r.stdout).toContain('MNIST downloaded into');
      expect(requests).toBe(4);
      expect(existsSync(path.join(cache, 'train-images-idx3-ubyte.gz'))).toBe(true);
      expect(existsSync(path.join(out, 'samples.png'))).toBe(true);
      const again = await run(args);
      expect(again.status).toBe(0);
      expect(requests).toBe(4); // served from the cache
    } finally {
      server.close();
    }
  });
});
