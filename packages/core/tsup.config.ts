import { defineConfig } from 'tsup';

export default defineConfig({
  entry: { index: 'src/index.ts', node: 'src/node/index.ts', 'evaluate-cli': 'src/node/evaluate/bin.ts' },
  format: ['esm', 'cjs'],
  dts: true,
  sourcemap: false,
  clean: true,
  shims: true,
  target: 'es2022',
  splitting: true,
  treeshake: false,
  // sharp is an optionalDependency, which tsup would otherwise bundle; it is imported lazily by loadImageFolder.
  external: ['sharp'],
});
