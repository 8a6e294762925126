/** Shared pieces of the CLI tests: in-process runs with captured output, temp folders, small data. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runCli } from '../src/main.js';

/** The Fashion-MNIST t10k set shipped in the repository (IDX, with labels). */
export const EMBEDDED = fileURLToPath(new URL('../../../examples/data/fashion-mnist', import.meta.url));

/** Flags of a small, fast training run: 16x16 colour, a 4-filter DCGAN, batch 8, 64 images, cpu. */
export const TINY = ['--size', '16', '--channels', '3', '--filters', '4', '--batch', '8', '--limit', '64', '--backend', 'cpu'];

/** What one in-process run printed and returned. */
export interface CliRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `aigc argv` in this process, capturing its output. */
export async function aigc(argv: string[], signal?: AbortSignal): Promise<CliRun> {
  let stdout = '';
  let stderr = '';
  const code = await runCli(argv, {
    stdout: { isTTY: false, write: (t: string) => (stdout += t) },
    stderr: { write: (t: string) => (stderr += t) },
    ...(signal ? { signal } : {}),
  });
  return { code, stdout, stderr };
}

const temps: string[] = [];

/** A new temp folder, removed by {@link cleanTemps}. */
export function temp(prefix = 'aigc-cli-'): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  temps.push(dir);
  return dir;
}

/** Removes the folders made by {@link temp}. */
export function cleanTemps(): void {
  for (const d of temps.splice(0)) rmSync(d, { recursive: true, force: true });
}
