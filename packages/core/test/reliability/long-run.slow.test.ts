/**
 * Long run: 10,000 MLP GAN steps on wasm in a child process (batch 8, so CI runs it in a few
 * minutes), on one thread and on 2 XNNPACK threads. After warm-up the tfjs tensor count and bytes
 * must not change at all and RSS (measured after a GC) must not grow more than 5%; the threaded
 * child must also exit by itself (its pthread workers must not keep it alive).
 */
import { describe, expect, it } from 'vitest';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const child = fileURLToPath(new URL('./long-run-child.ts', import.meta.url));
const STEPS = 10_000;

interface Sample {
  step: number;
  numTensors: number;
  numBytes: number;
  rss: number;
  seconds: number;
}

/** Kills a child that does not exit (e.g. a worker keeping it alive) after this long. */
const CHILD_TIMEOUT_MS = 1_500_000;

function run(threads: string): Promise<{ samples: Sample[]; done: { dLoss: number; gLoss: number; threads: number } }> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--expose-gc', '--import', 'tsx', child, String(STEPS), '8', '250', threads], { cwd: root, timeout: CHILD_TIMEOUT_MS });
    let out = '';
    let err = '';
    p.stdout.on('data', (d: Buffer) => (out += d));
    p.stderr.on('data', (d: Buffer) => (err += d));
    p.on('close', (code, signal) => {
      if (code !== 0) return reject(new Error(`long run failed with code ${code} (signal ${signal}; a timeout means the child did not exit):\n${err}`));
      const lines = out.trim().split('\n').map((l) => JSON.parse(l));
      resolve({ samples: lines.filter((l) => 'step' in l), done: lines.find((l) => l.done) });
    });
  });
}

/** Median RSS over a window of steps: robust to one transient allocator spike, still moves with a leak. */
const medianRss = (samples: Sample[], from: number, to: number) => {
  const xs = samples.filter((s) => s.step >= from && s.step <= to).map((s) => s.rss).sort((a, b) => a - b);
  return xs[Math.floor(xs.length / 2)] as number;
};

describe('10,000 training steps on wasm', () => {
  it.each([
    { label: 'one thread', threads: 'false', expected: 1 },
    { label: '2 XNNPACK threads', threads: '2', expected: 2 },
  ])('$label: keeps the tensor count and bytes constant and RSS growth within 5%', async ({ label, threads, expected }) => {
    const { samples, done } = await run(threads);
    expect(done.threads).toBe(expected);
    expect(samples.at(-1)!.step).toBe(STEPS);
    expect(Number.isFinite(done.dLoss) && Number.isFinite(done.gLoss)).toBe(true);
    const warm = samples.filter((s) => s.step >= 500);
    const first = warm[0]!;
    for (const s of warm) {
      expect(s.numTensors, `tensors at step ${s.step}`).toBe(first.numTensors);
      expect(s.numBytes, `bytes at step ${s.step}`).toBe(first.numBytes);
    }
    // The allocator settles during the first ~1,000 steps (a CI run saw a 198 MiB peak there, then 176).
    const early = medianRss(samples, 2000, 4000);
    const late = medianRss(samples, STEPS - 2000, STEPS);
    const mib = (b: number) => (b / 2 ** 20).toFixed(1);
    console.log(
      `long run (${label}): ${STEPS} steps in ${samples.at(-1)!.seconds.toFixed(0)} s; tensors ${first.numTensors}, ` +
        `bytes ${first.numBytes}; median RSS steps 2000-4000 ${mib(early)} MiB, last 2000 steps ${mib(late)} MiB (${((late / early - 1) * 100).toFixed(2)}%)`,
    );
    // Growth is what a leak looks like, so it is bounded at +5%. RSS may fall: in CI runs the
    // allocator returned ~11% to the OS between steps 2,000-4,000 and the end (190 -> 170 MiB)
    // while tensor count and bytes stayed exactly constant; a fall is reported, not failed.
    expect(late / early).toBeLessThanOrEqual(1.05);
  });
});
