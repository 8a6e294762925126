import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  target: 'es2022',
  // Peer and optional packages stay imports; they are loaded lazily inside load().
  external: ['@aigc/core', '@tensorflow/tfjs-core', '@tensorflow/tfjs-node', '@tensorflow/tfjs-node-gpu'],
  shims: true,
  treeshake: false,
});
