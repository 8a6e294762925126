import { describe, expect, it } from 'vitest';
import { InvalidArgumentError, UnknownOptionError } from './errors.js';
import { checkKeys, editDistance, nearestKey } from './options.js';

describe('checkKeys', () => {
  it('measures edit distance', () => {
    expect(editDistance('kitten', 'sitting')).toBe(3);
    expect(editDistance('', 'abc')).toBe(3);
    expect(editDistance('gamma', 'gamma')).toBe(0);
    expect(nearestKey('wieght', ['target', 'weight'])).toBe('weight');
    expect(nearestKey('Seed', ['latentDim', 'seed'])).toBe('seed');
  });

  it('accepts known keys and missing options', () => {
    expect(() => checkKeys<{ a?: number; b?: number }>('f', { a: 1 }, { a: true, b: true })).not.toThrow();
    expect(() => checkKeys<{ a?: number }>('f', undefined, { a: true })).not.toThrow();
  });

  it('rejects an unknown key with a typed error naming the nearest valid key', () => {
    let caught: unknown;
    try {
      checkKeys<{ weight?: number; target?: number }>('gradientPenalty', { wieght: 1 } as never, { weight: true, target: true });
    } catch (e) {
      caught = e;
    }
    expect(UnknownOptionError.isInstance(caught)).toBe(true);
    expect(InvalidArgumentError.isInstance(caught)).toBe(true);
    const err = caught as UnknownOptionError;
    expect(err.argument).toBe('wieght');
    expect(err.suggestion).toBe('weight');
    expect(err.allowed).toEqual(['weight', 'target']);
    expect(err.message).toBe('gradientPenalty: unknown option "wieght". Did you mean "weight"? Valid options: weight, target.');
  });
});

describe('nearestKey', () => {
  it('prefers a key that contains the typo, then edit distance', () => {
    expect(nearestKey('auxiliary', ['numClasses', 'auxiliaryClassifier'])).toBe('auxiliaryClassifier');
    expect(nearestKey('clip', ['weightClip'])).toBe('weightClip');
    expect(nearestKey('sd', ['mean', 'stddev', 'seed'])).toBe('seed');
    expect(nearestKey('x', [])).toBeUndefined();
  });
});
