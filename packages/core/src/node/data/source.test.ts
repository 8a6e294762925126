import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { InvalidDataError } from '../../errors.js';
import { fakeImagesIdx, fakeLabelsIdx, gzip } from '../../data/idx.test-utils.js';
import { DEFAULT_SYSTEM_DATA_DIR, resolveDataSource } from './source.js';

const temps: string[] = [];
afterEach(() => {
  for (const dir of temps.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A temp root with `user/` (train), `system/` (train), `systemT10k/` (t10k only), `embedded/` (t10k) and `empty/`. */
function fixture(): Record<'root' | 'user' | 'system' | 'systemT10k' | 'embedded' | 'empty', string> {
  const root = mkdtempSync(join(tmpdir(), 'aigc-src-'));
  temps.push(root);
  const make = (name: string, split: 'train' | 't10k'): string => {
    const dir = join(root, name);
    mkdirSync(dir);
    writeFileSync(join(dir, `${split}-images-idx3-ubyte.gz`), gzip(fakeImagesIdx(2, 2, 2)));
    writeFileSync(join(dir, `${split}-labels-idx1-ubyte.gz`), gzip(fakeLabelsIdx(2)));
    return dir;
  };
  const empty = join(root, 'empty');
  mkdirSync(empty);
  return {
    root,
    user: make('user', 'train'),
    system: make('system', 'train'),
    systemT10k: make('systemT10k', 't10k'),
    embedded: make('embedded', 't10k'),
    empty,
  };
}

describe('resolveDataSource', () => {
  it('defaults the system folder to the Debian Fashion-MNIST path', () => {
    expect(DEFAULT_SYSTEM_DATA_DIR).toBe('/usr/share/datasets/fashion-mnist');
  });

  it('prefers --data over the system and embedded folders', () => {
    const f = fixture();
    const src = resolveDataSource({ data: f.user, systemDir: f.system, embeddedDir: f.embedded });
    expect(src.kind).toBe('user');
    expect(src.dir).toBe(f.user);
    expect(src.description).toContain(f.user);
  });

  it('accepts a user folder with only the t10k split', () => {
    const f = fixture();
    const src = resolveDataSource({ data: f.embedded, systemDir: f.system, embeddedDir: f.embedded });
    expect(src.kind).toBe('user');
    expect(src.description).toContain('t10k');
  });

  it('uses the system folder when it holds the train files', () => {
    const f = fixture();
    const src = resolveDataSource({ systemDir: f.system, embeddedDir: f.embedded });
    expect(src).toMatchObject({ dir: f.system, kind: 'system' });
    expect(src.description).toContain('Fashion-MNIST');
  });

  it('falls back to the embedded folder when the system folder is missing or lacks train files', () => {
    const f = fixture();
    for (const systemDir of [join(f.root, 'missing'), f.systemT10k, f.empty]) {
      const src = resolveDataSource({ systemDir, embeddedDir: f.embedded });
      expect(src).toMatchObject({ dir: f.embedded, kind: 'embedded' });
      expect(src.description).toContain('--data');
    }
  });

  it('never falls back from a bad user folder', () => {
    const f = fixture();
    const missing = join(f.root, 'typo');
    for (const data of [missing, f.empty, join(f.user, 'train-images-idx3-ubyte.gz')]) {
      let error: unknown;
      try {
        resolveDataSource({ data, systemDir: f.system, embeddedDir: f.embedded });
      } catch (e) {
        error = e;
      }
      expect(InvalidDataError.isInstance(error)).toBe(true);
      expect((error as Error).message).toContain('--data');
    }
    expect(() => resolveDataSource({ data: missing, systemDir: f.system, embeddedDir: f.embedded })).toThrow(
      /does not exist/
    );
    expect(() => resolveDataSource({ data: f.empty, systemDir: f.system, embeddedDir: f.embedded })).toThrow(
      /looked for train-images-idx3-ubyte/
    );
  });

  it('reports a broken embedded folder', () => {
    const f = fixture();
    expect(() => resolveDataSource({ systemDir: f.empty, embeddedDir: join(f.root, 'gone') })).toThrow(
      /embedded dataset folder .* does not exist/
    );
  });
});
