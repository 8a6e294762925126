/**
 * The list of test projects: one per workspace package under packages/ and examples/.
 * `vitest.config.ts` imports this list (Vitest 4 reads projects from the config), so this file
 * stays the single source. Slow suites (`*.slow.test.ts`) run only from `vitest.slow.config.ts`.
 */
import { existsSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const r = (p: string) => fileURLToPath(new URL(p, import.meta.url));

/** Aliases so tests run against sources, not a stale build. */
export const alias = {
  '@aigc/core/node': r('./packages/core/src/node/index.ts'),
  '@aigc/core': r('./packages/core/src/index.ts'),
  '@aigc/backend-webgpu': r('./packages/backend-webgpu/src/index.ts'),
  '@aigc/backend-node-gpu': r('./packages/backend-node-gpu/src/index.ts'),
  '@aigc/cli/charts': r('./packages/cli/src/charts.ts'),
  '@aigc/cli': r('./packages/cli/src/index.ts'),
};

const folders = ['packages', 'examples'].flatMap((top) =>
  readdirSync(r(`./${top}`), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(r(`./${top}/${d.name}/package.json`)))
    .map((d) => `${top}/${d.name}`),
);

/**
 * The fast suite runs its files in parallel forks, so the default wasm backend is pinned to one
 * thread there (threads in every fork would oversubscribe the cores; results are bitwise the
 * same, see packages/core/src/backends/wasm-threads/auto-process.test.ts). The slow suite runs
 * one file at a time and keeps the default ('auto'). An AIGC_WASM_THREADS already set wins.
 */
function wasmThreadsEnv(slow: boolean): Record<string, string> {
  const set = process.env['AIGC_WASM_THREADS'];
  if (set !== undefined) return { AIGC_WASM_THREADS: set };
  return slow ? {} : { AIGC_WASM_THREADS: 'false' };
}

/** Builds the project list; `slow` selects the slow suites instead of the fast ones. */
export function testProjects(slow = false) {
  const packages = folders.map((folder) => ({
    resolve: { alias },
    test: {
      name: folder.replace(/^packages\//, '').replace(/^examples\//, 'example-'),
      root: r(`./${folder}`),
      include: slow ? ['{src,test}/**/*.slow.test.ts'] : ['{src,test}/**/*.test.ts'],
      exclude: slow ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.slow.test.ts', '**/*.browser.test.ts'],
      passWithNoTests: true,
      testTimeout: slow ? 1_800_000 : 300_000,
      hookTimeout: 300_000,
      env: wasmThreadsEnv(slow),
    },
  }));
  // Repository-level checks (docs code blocks against the built packages, the release tooling).
  const repo = {
    test: {
      name: 'repo',
      root: r('.'),
      include: slow ? ['test/**/*.slow.test.ts'] : ['test/**/*.test.ts'],
      exclude: slow ? ['**/node_modules/**'] : ['**/node_modules/**', '**/*.slow.test.ts'],
      passWithNoTests: true,
      testTimeout: slow ? 1_800_000 : 300_000,
      hookTimeout: 300_000,
      env: wasmThreadsEnv(slow),
    },
  };
  return [...packages, repo];
}

export default testProjects();
