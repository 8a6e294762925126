/**
 * Ctrl-C during the example CLI's training: it saves a checkpoint and exits with 130, and
 * `--resume` continues exactly where it stopped: the same per-step losses and final weights as
 * an uninterrupted run (cpu backend, bitwise).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = path.join(root, 'examples/mnist-gan/src/cli.ts');
const data = path.join(root, 'examples/data/fashion-mnist');
const STEPS = 40;
const args = (out: string) =>
  ['--data', data, '--backend', 'cpu', '--steps', String(STEPS), '--batch', '32', '--limit', '640', '--seed', '3', '--sample-every', '0', '--checkpoint-every', '0', '--out', out];

/** Runs the CLI; with `interruptAfter`, sends SIGINT once stdout shows that many steps done. */
function runCli(argv: string[], interruptAfter?: number): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', cli, ...argv], { cwd: root });
    let stdout = '';
    let stderr = '';
    let sent = false;
    child.stdout.on('data', (d: Buffer) => {
      stdout += d;
      const done = [...stdout.matchAll(/^step (\d+)\//gm)].map((m) => Number(m[1]));
      if (interruptAfter !== undefined && !sent && done.some((n) => n >= interruptAfter)) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** The per-step lines of metrics.jsonl without their wall-clock time. */
function stepMetrics(out: string): Array<Record<string, number>> {
  return readFileSync(path.join(out, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .filter((l) => typeof l.step === 'number')
    .map(({ time: _time, ...rest }) => rest);
}

const weightsName = (out: string) => readdirSync(path.join(out, 'generator')).find((f) => f.endsWith('.bin'));

describe('Ctrl-C and --resume in the example CLI', () => {
  it('saves a checkpoint, exits 130, and resumes to the same losses and weights as an uninterrupted run', async () => {
    const straight = mkdtempSync(path.join(tmpdir(), 'aigc-sigint-a-'));
    const a = await runCli(args(straight));
    expect(a.code, a.stderr).toBe(0);

    const interrupted = mkdtempSync(path.join(tmpdir(), 'aigc-sigint-b-'));
    const b = await runCli(args(interrupted), 10);
    expect(b.code, b.stderr).toBe(130);
    expect(b.stderr).toMatch(/Interrupted/);
    const stoppedAt = Number(/Interrupted at step (\d+): checkpoint saved/.exec(b.stdout)?.[1]);
    expect(stoppedAt).toBeGreaterThanOrEqual(10);
    expect(stoppedAt).toBeLessThan(STEPS);
    expect(existsSync(path.join(interrupted, 'checkpoint', 'manifest.json'))).toBe(true);

    const c = await runCli([...args(interrupted), '--resume']);
    expect(c.code, c.stderr).toBe(0);
    expect(c.stdout).toContain(`Resuming from step ${stoppedAt}`);

    const expected = stepMetrics(straight);
    expect(expected.map((m) => m.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i + 1));
    expect(stepMetrics(interrupted)).toEqual(expected);
    expect(weightsName(interrupted)).toBe(weightsName(straight));
    console.log(`sigint test: interrupted at step ${stoppedAt} of ${STEPS}; resumed losses and weights identical`);
  }, 900_000); // three child processes that each train and evaluate on cpu: over 5 minutes on a loaded 2-core machine
});
