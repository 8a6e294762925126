/**
 * The compiled `aigc` bin as a user runs it, with plain Node: help, exit codes, and a real Ctrl-C
 * (SIGINT) or `kill` (SIGTERM) that finishes the step, checkpoints and exits with 130 / 143, after
 * which --resume continues.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTemps, EMBEDDED, temp, TINY } from './helpers.js';

const pkg = fileURLToPath(new URL('..', import.meta.url));
const bin = path.join(pkg, 'dist', 'bin.js');

beforeAll(() => {
  if (!existsSync(bin)) execFileSync('npx', ['tsup'], { cwd: pkg, stdio: 'ignore' });
}, 300_000);
afterAll(cleanTemps);

const node = (args: string[]) => spawnSync(process.execPath, [bin, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('the aigc bin on plain Node', () => {
  it('is compiled JavaScript with a node shebang', () => {
    expect(readFileSync(bin, 'utf8').startsWith('#!/usr/bin/env node')).toBe(true);
    const manifest = JSON.parse(readFileSync(path.join(pkg, 'package.json'), 'utf8'));
    expect(manifest.bin).toEqual({ aigc: './dist/bin.js' });
  });

  it('prints help (0), and a one-line error with exit 2 for a bad flag, without the tfjs banner', () => {
    const help = node(['--help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toMatch(/^Usage: aigc <command>/);
    const bad = node(['train', '--batch', '0']);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toBe('Error: --batch must be at least 1, got 0.\nRun "aigc train --help" for usage.\n');
    const missing = node(['train', '--data', '/nonexistent/aigc', '--out', path.join(temp(), 'r')]);
    expect(missing.status).toBe(1);
    expect(missing.stderr).toBe('Error: The data folder /nonexistent/aigc does not exist; pass --data with a folder of images.\n');
  });

  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('%s finishes the step, saves the checkpoint and exits %i by itself; --resume continues to the target', async (signal, exitCode) => {
    const run = path.join(temp(), 'run');
    const metrics = path.join(run, 'metrics.jsonl');
    const child = spawn(process.execPath, [bin, 'train', '--data', EMBEDDED, ...TINY, '--steps', '400', '--sample-every', '1000', '--checkpoint-every', '1000', '--out', run]);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d) => (stdout += d));
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setInterval(() => {
      if (existsSync(metrics) && readFileSync(metrics, 'utf8').includes('"step":3,')) {
        clearInterval(timer);
        child.kill(signal);
      }
    }, 25);
    // Exits by itself: a run that ignored the signal would train all 400 steps (and hit the test timeout).
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearInterval(timer);
    expect(stderr).toContain('Interrupted: finishing the current step');
    expect(code).toBe(exitCode);
    const stopped = Number(/Interrupted at step (\d+)/.exec(stdout)?.[1]);
    expect(stopped).toBeGreaterThanOrEqual(3);
    expect(stopped).toBeLessThan(400);
    const manifest = JSON.parse(readFileSync(path.join(run, 'checkpoint', 'manifest.json'), 'utf8'));
    expect(manifest.state.globalStep).toBe(stopped);
    const resumed = node(['train', '--out', run, '--resume', '--steps', String(stopped + 2)]);
    expect(resumed.stderr).toBe('');
    expect(resumed.status).toBe(0);
    expect(resumed.stdout).toContain(`Resuming at step ${stopped}`);
    const logged = readFileSync(metrics, 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.event === undefined).map((m) => m.step);
    expect(logged).toEqual(Array.from({ length: stopped + 2 }, (_, i) => i + 1));
  }, 240_000);
});
