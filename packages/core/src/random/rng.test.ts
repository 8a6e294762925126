import { describe, expect, it } from 'vitest';
import { Rng } from './rng.js';

describe('Rng', () => {
  it('is deterministic per seed and restorable', () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 5 }, () => a.nextUint32());
    expect(Array.from({ length: 5 }, () => b.nextUint32())).toEqual(xs);
    const state = a.getState();
    const next = a.nextFloat();
    b.setState(state);
    expect(b.nextFloat()).toBe(next);
    expect(new Rng(124).nextUint32()).not.toBe(xs[0]);
  });

  it('shuffles to a permutation and floats lie in [0, 1)', () => {
    const r = new Rng(5);
    const arr = Array.from({ length: 100 }, (_, i) => i);
    r.shuffle(arr);
    expect([...arr].sort((x, y) => x - y)).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(arr).not.toEqual(Array.from({ length: 100 }, (_, i) => i));
    for (let i = 0; i < 1000; i++) {
      const f = r.nextFloat();
      expect(f >= 0 && f < 1).toBe(true);
      const s = r.nextSeed();
      expect(s >= 1 && s < 2 ** 31).toBe(true);
    }
  });

  it('rejects a non-integer seed', () => {
    expect(() => new Rng(1.5)).toThrow(/seed/);
    expect(() => new Rng(Number.NaN)).toThrow(/seed/);
  });
});
