// Timing helpers: medians of repeated windows, matmul rate, memory snapshots.
import { tf } from '../../packages/core/dist/index.js';

/** Median of numbers (NaN for none). */
export function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** Collects garbage when node runs with --expose-gc. */
export function gc() {
  globalThis.gc?.();
}

/** Tensor count and resident set size (MiB) after a GC. */
export function memorySnapshot() {
  gc();
  return { tensors: tf.memory().numTensors, rssMiB: process.memoryUsage().rss / 2 ** 20 };
}

/**
 * The backend's float32 matmul rate on 1024x1024 x 1024x1024 in GFLOP/s: median over
 * single products (each synced by reading the result) after two warm-up products.
 */
export async function matmulRate({ reps = 5, maxSeconds = 10 } = {}) {
  const n = 1024;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  const once = async () => {
    const t0 = performance.now();
    const c = tf.matMul(a, b);
    await c.data();
    c.dispose();
    return (performance.now() - t0) / 1000;
  };
  await once();
  const times = [await once()];
  const start = performance.now();
  while (times.length < reps && (performance.now() - start) / 1000 < maxSeconds) times.push(await once());
  a.dispose();
  b.dispose();
  const sec = median(times);
  return { gflops: (2 * n ** 3) / sec / 1e9, secondsPerProduct: sec, products: times.length };
}

/**
 * A pseudo training loop whose "step" is one 1024x1024 float32 matmul, for measuring the matmul
 * rate in the same interleaved windows as training (so both see the same machine load).
 */
export function matmulLoop() {
  const n = 1024;
  const a = tf.randomNormal([n, n], 0, 1, 'float32', 1);
  const b = tf.randomNormal([n, n], 0, 1, 'float32', 2);
  return {
    name: 'matmul',
    flopsPerStep: 2 * n ** 3,
    run: async (k) => {
      for (let i = 0; i < k; i++) {
        const c = tf.matMul(a, b);
        await c.data();
        c.dispose();
      }
    },
    dispose: () => {
      a.dispose();
      b.dispose();
    },
  };
}

/**
 * Runs `fn(k)` (k steps) in windows interleaved across `loops` (rotating their order each
 * round so none is always first), `rounds` times, and returns steps/s per window per loop.
 */
export async function interleavedWindows(loops, stepsPerWindow, rounds, onWindow) {
  const rates = Object.fromEntries(loops.map((l) => [l.name, []]));
  for (let r = 0; r < rounds; r++) {
    const order = loops.map((_, i) => loops[(i + r) % loops.length]);
    for (const loop of order) {
      const k = stepsPerWindow[loop.name];
      const before = tf.memory().numTensors;
      const t0 = performance.now();
      await loop.run(k);
      const sec = (performance.now() - t0) / 1000;
      rates[loop.name].push(k / sec);
      onWindow?.(loop.name, k / sec, tf.memory().numTensors - before);
    }
  }
  return rates;
}

/** Seconds one call of `fn` takes. */
export async function timeOnce(fn) {
  const t0 = performance.now();
  await fn();
  return (performance.now() - t0) / 1000;
}
