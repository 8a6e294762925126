import { beforeAll, describe, expect, it } from 'vitest';
import '@tensorflow/tfjs-backend-cpu';
import { tf } from '../tf.js';
import { allFinite, finiteCheck, finiteScreen } from './guard.js';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The scalar `f` returns, computed in a tidy scope (as the Trainer calls the checks). */
const value = (f: () => tf.Scalar) => {
  const s = tf.tidy(f);
  const v = s.dataSync()[0] as number;
  s.dispose();
  return v;
};

describe('the divergence guard checks', () => {
  const finite = [tf.tensor([1, -2, 3]), tf.tensor2d([[0.5, 0], [-0.25, 7]])];
  const cases: Array<[string, number[]]> = [
    ['NaN', [1, NaN, 3]],
    ['+inf', [1, Infinity, 3]],
    ['-inf', [-Infinity, 0, 0]],
    ['+inf and -inf', [Infinity, -Infinity, 0]],
  ];

  it('the screen and the exact check are 0 on finite tensors (and on none)', async () => {
    expect(value(() => finiteScreen(finite))).toBe(0);
    expect(value(() => finiteCheck(finite))).toBe(0);
    expect(value(() => finiteScreen([]))).toBe(0);
    expect(await allFinite(finite)).toBe(true);
  });

  it.each(cases)('the screen flags %s in any tensor, and so does the exact check', async (_, values) => {
    const bad = tf.tensor(values);
    expect(Number.isNaN(value(() => finiteScreen([...finite, bad])))).toBe(true);
    expect(Number.isNaN(value(() => finiteCheck([bad, ...finite])))).toBe(true);
    expect(await allFinite([...finite, bad])).toBe(false);
    bad.dispose();
  });

  it('the screen handles empty and rank-4 tensors (conv kernels) and flags a NaN in one', () => {
    const empty = tf.zeros([0, 3]);
    const kernel = tf.ones([2, 2, 2, 3]);
    const poisoned = tf.tidy(() => tf.concat([tf.ones([1, 2, 2, 3]), tf.fill([1, 2, 2, 3], NaN)]));
    expect(value(() => finiteScreen([empty, kernel]))).toBe(0);
    expect(Number.isNaN(value(() => finiteScreen([empty, kernel, poisoned])))).toBe(true);
    tf.dispose([empty, kernel, poisoned]);
  });

  it('a finite tensor whose sum overflows is flagged by the screen but passes the exact check', async () => {
    const big = tf.tensor([3e38, 3e38, 3e38]);
    const before = tf.memory().numTensors;
    expect(Number.isNaN(value(() => finiteScreen([big])))).toBe(true);
    expect(await allFinite([big])).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
    big.dispose();
  });
});
