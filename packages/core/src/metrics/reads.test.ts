import { beforeAll, describe, expect, it } from 'vitest';
import { tf } from '../tf.js';
import { readAsync, readSync, type Reading } from './reads.js';

/** Yields two tensors (the second already disposed when `failSecond`), sums their values; records its cleanup. */
function* summing(log: string[], failSecond: boolean): Reading<number> {
  try {
    const a = yield tf.tensor1d([1, 2]);
    const second = tf.tensor1d([10, 20, 30]);
    if (failSecond) second.dispose();
    const b = yield second;
    return [...a, ...b].reduce((x, y) => x + y, 0);
  } finally {
    log.push('closed');
  }
}

const drivers = { readSync, readAsync: (r: Reading<number>) => readAsync(r) } as const;

describe.each(Object.entries(drivers))('%s', (_, drive) => {
  beforeAll(async () => {
    await tf.setBackend('cpu');
  });

  it('hands each yielded tensor its values and disposes every one', async () => {
    const log: string[] = [];
    const before = tf.memory().numTensors;
    expect(await drive(summing(log, false))).toBe(63);
    expect(tf.memory().numTensors).toBe(before);
    expect(log).toEqual(['closed']);
  });

  it('closes the reading and rethrows when a read fails, leaking nothing', async () => {
    const log: string[] = [];
    const before = tf.memory().numTensors;
    await expect(async () => drive(summing(log, true))).rejects.toThrow(/disposed/);
    expect(log).toEqual(['closed']);
    expect(tf.memory().numTensors).toBe(before);
  });
});
