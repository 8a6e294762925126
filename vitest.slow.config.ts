import { defineConfig } from 'vitest/config';
import { testProjects } from './vitest.workspace';

/** Slow suites: training to a quality bar, long runs. CI runs them after the fast suite. */
export default defineConfig({
  test: {
    projects: testProjects(true),
    pool: 'forks',
    fileParallelism: false,
  },
});
