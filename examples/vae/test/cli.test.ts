/** The VAE command line as a user runs it: `kill` (SIGTERM) mid-run saves the checkpoint and exits 143; --resume continues. */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const cli = join(import.meta.dirname, '..', 'src', 'cli.ts');
const EMBEDDED = join(import.meta.dirname, '..', '..', 'data', 'fashion-mnist');
const common = ['--data', EMBEDDED, '--limit', '128', '--batch', '16', '--latent', '4', '--backend', 'cpu', '--seed', '5', '--eval', '0'];
const out = mkdtempSync(join(tmpdir(), 'aigc-vae-cli-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('the VAE CLI', () => {
  it('SIGTERM finishes the step, saves the checkpoint and exits 143 by itself; --resume continues from it', async () => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...common, '--steps', '100000', '--out', out]);
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      if (!sent && /^step \d+\//m.test(stdout)) {
        sent = true;
        child.kill('SIGTERM');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    // A CLI that ignored SIGTERM would train 100,000 steps and hit the test timeout instead.
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, stderr).toBe(143);
    expect(stderr).toContain('SIGTERM: finishing the current step');
    const stopped = Number(/Interrupted at step (\d+): checkpoint saved/.exec(stdout)?.[1]);
    expect(stopped).toBeGreaterThanOrEqual(50);
    expect(stopped).toBeLessThan(100000);
    const manifest = JSON.parse(readFileSync(join(out, 'checkpoint', 'manifest.json'), 'utf8'));
    expect(manifest.state.globalStep).toBe(stopped);
    expect(existsSync(join(out, 'samples.png'))).toBe(true);

    const resumed = spawnSync(process.execPath, ['--import', 'tsx', cli, ...common, '--steps', String(stopped + 2), '--out', out, '--resume'], { encoding: 'utf8', timeout: 120_000 });
    expect(resumed.status, resumed.stderr).toBe(0);
    expect(resumed.stdout).toContain(`resumed at step ${stopped}`);
    const logged = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => typeof m.step === 'number').map((m) => m.step);
    expect(logged.slice(-3)).toEqual([stopped, stopped + 1, stopped + 2]);
  }, 180_000);
});
