/**
 * Slow suite: the packed-consumer check (scripts/packed-consumer.ts). Packs the three published
 * packages, installs the tarballs into an app outside the workspace (dependencies from the npm
 * registry, --prefer-offline) and imports them from ESM, CommonJS and a Vite browser build.
 */
import { describe, expect, it } from 'vitest';
import { declaredFiles, forbiddenPackPaths, runPackedConsumerCheck } from '../scripts/packed-consumer.js';

describe('pack contents rules', () => {
  it('flags tests, test helpers, sources and source maps', () => {
    expect(
      forbiddenPackPaths([
        'dist/index.js',
        'dist/index.d.ts',
        'dist/index.js.map',
        'src/index.ts',
        'dist/a.test.js',
        'dist/idx.test-utils.js',
        'README.md',
        'package.json',
      ]),
    ).toEqual(['dist/index.js.map', 'src/index.ts', 'dist/a.test.js', 'dist/idx.test-utils.js']);
  });

  it('lists every file package.json points to', () => {
    expect(
      declaredFiles({
        main: './dist/index.cjs',
        types: 'dist/index.d.ts',
        exports: { '.': { import: { types: './dist/index.d.ts', default: './dist/index.js' } }, './package.json': './package.json' },
        bin: { cli: './dist/cli.js' },
      }).sort(),
    ).toEqual(['dist/cli.js', 'dist/index.cjs', 'dist/index.d.ts', 'dist/index.js', 'package.json']);
  });
});

describe('packed consumer', () => {
  it('installs the tarballs outside the workspace and imports them from ESM, CJS and a browser bundle', async () => {
    const report = await runPackedConsumerCheck();
    console.log(`packed consumer: ${JSON.stringify({ ...report, workDir: undefined })}`);
    expect(report.tarballs).toHaveLength(3);
    expect(report.esm).toMatchObject({ format: 'esm', shape: [2, 28, 28, 1], resolved: 'webgpu', webgpu: ['webgpu', 'webgl'] });
    expect(report.cjs).toMatchObject({ format: 'cjs', shape: [3, 28, 28, 1], nodeGpu: ['node-gpu', 'node'], node: 'function' });
    expect(report.bundleBytes).toBeGreaterThan(100_000);
    if ('skipped' in report.browser) console.warn(`browser part skipped: ${String(report.browser.skipped)}`);
    else {
      expect(report.browser).toMatchObject({ backend: 'webgpu', steps: 2 });
      expect(Number.isFinite(report.browser.dLoss)).toBe(true);
    }
  }, 1_200_000);
});
