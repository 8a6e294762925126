import { describe, expect, it } from 'vitest';
import { CHECKPOINT_FORMAT, checkCheckpointHeader, consistentArraySpec, packArrays } from './checkpoint-layout.js';

const fail = (what: string): never => {
  throw new Error(what);
};

describe('checkpoint layout', () => {
  it('packs arrays back to back and says where each lies', () => {
    const offsetView = new Float32Array([9, 1.5, -2]).subarray(1);
    const { bytes, specs } = packArrays([
      { name: 'a', dtype: 'float32', shape: [2], data: offsetView },
      { name: 'b', dtype: 'int32', shape: [1, 1], data: new Int32Array([7]) },
    ]);
    expect(specs).toEqual([
      { name: 'a', dtype: 'float32', shape: [2], offset: 0, bytes: 8 },
      { name: 'b', dtype: 'int32', shape: [1, 1], offset: 8, bytes: 4 },
    ]);
    expect(Array.from(new Float32Array(bytes.buffer, 0, 2))).toEqual([1.5, -2]);
    expect(Array.from(new Int32Array(bytes.buffer, 8, 1))).toEqual([7]);
    for (const s of specs) expect(consistentArraySpec(s, bytes.byteLength, true)).toBe(s);
  });

  it('refuses a value without the format tag, or of a version this build does not read', () => {
    expect(() => checkCheckpointHeader({ format: CHECKPOINT_FORMAT, formatVersion: 2 }, 'not one', fail)).not.toThrow();
    for (const bad of [null, 3, 'x', {}, { format: 'other', formatVersion: 2 }]) {
      expect(() => checkCheckpointHeader(bad, 'not one', fail)).toThrow(/^not one$/);
    }
    expect(() => checkCheckpointHeader({ format: CHECKPOINT_FORMAT, formatVersion: 99 }, 'not one', fail)).toThrow(
      /^the checkpoint has format version 99; this @aigc\/core reads versions 1 and 2\. Use the @aigc\/core version that saved it\.$/,
    );
  });

  it('accepts an array entry only when its dtype, shape, size and range agree (alignment only when asked)', () => {
    const good = { name: 'w', dtype: 'float32', shape: [2, 3], offset: 4, bytes: 24 };
    expect(consistentArraySpec(good, 28, true)).toBe(good);
    expect(consistentArraySpec(good, 27, true)).toBeUndefined();
    expect(consistentArraySpec({ ...good, offset: 2 }, 28, false)).toEqual({ ...good, offset: 2 });
    expect(consistentArraySpec({ ...good, offset: 2 }, 28, true)).toBeUndefined();
    for (const bad of [null, 1, { ...good, name: 5 }, { ...good, dtype: 'float64' }, { ...good, shape: [2, -3] }, { ...good, bytes: 20 }, { ...good, offset: -4 }, { ...good, offset: 0.5 }]) {
      expect(consistentArraySpec(bad, 1000, false)).toBeUndefined();
    }
  });
});
