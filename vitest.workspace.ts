/**
 * The list of test projects, one per workspace package. `vitest.config.ts` imports this list
 * (Vitest 4 reads projects from the config), so this file stays the single source.
 */
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Aliases so tests run against sources, not a stale build. */
export const alias = {
  '@aigc/core/node': r('./packages/core/src/node/index.ts'),
  '@aigc/core': r('./packages/core/src/index.ts'),
};

const projects = [
  {
    resolve: { alias },
    test: {
      name: 'core',
      root: r('./packages/core'),
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 120_000,
      hookTimeout: 120_000,
    },
  },
  {
    resolve: { alias },
    test: {
      name: 'example-mnist-gan',
      root: r('./examples/mnist-gan'),
      include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
      testTimeout: 300_000,
      hookTimeout: 120_000,
    },
  },
];

export default projects;
