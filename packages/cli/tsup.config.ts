import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', charts: 'src/charts.ts', bin: 'src/bin.ts' },
  format: ['esm'],
  dts: { entry: { index: 'src/index.ts', charts: 'src/charts.ts' } },
  sourcemap: false,
  clean: true,
  target: 'es2022',
  platform: 'node',
  splitting: true,
  treeshake: false,
  external: ['@aigc/core', 'vega', 'vega-lite'],
});
