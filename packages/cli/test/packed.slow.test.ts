/**
 * The packed CLI outside the workspace: `npm pack` @aigc/core and @aigc/cli, install both tarballs
 * into a temp app, and run `npx aigc --help` and a 2-step `aigc train` on an IDX folder with plain Node.
 * (A PNG folder is not used here: core's packed dist bundles sharp, an optionalDependency tsup does
 * not externalize, and the bundled copy fails with "Dynamic require of child_process"; see the report.)
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cleanTemps, EMBEDDED, temp } from './helpers.js';

const packages = fileURLToPath(new URL('../..', import.meta.url));
const app = temp('aigc-cli-consumer-');
afterAll(cleanTemps);

beforeAll(() => {
  const tarballs: string[] = [];
  for (const name of ['core', 'cli']) {
    const dir = path.join(packages, name);
    if (!existsSync(path.join(dir, 'dist/index.js'))) execFileSync('npx', ['tsup'], { cwd: dir, stdio: 'ignore' });
    const out = execFileSync('npm', ['pack', '--pack-destination', app], { cwd: dir, encoding: 'utf8' }).trim().split('\n').at(-1) as string;
    tarballs.push(path.join(app, out));
  }
  writeFileSync(path.join(app, 'package.json'), JSON.stringify({ name: 'consumer', private: true, version: '1.0.0' }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', ...tarballs], { cwd: app, stdio: 'ignore' });
}, 900_000);

describe('packed @aigc/cli in an outside app', () => {
  it('npx aigc --help runs on plain Node', () => {
    const r = spawnSync('npx', ['aigc', '--help'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/^Usage: aigc <command>/);
    expect(r.stdout).toContain('train');
  });

  it('trains 2 steps on an IDX folder and samples from the run', () => {
    const data = EMBEDDED;
    const run = path.join(app, 'run');
    const train = spawnSync('npx', ['aigc', 'train', '--data', data, '--size', '8', '--filters', '2', '--batch', '4', '--limit', '16', '--steps', '2', '--backend', 'cpu', '--out', run], { cwd: app, encoding: 'utf8', timeout: 300_000 });
    expect(train.stderr).toBe('');
    expect(train.status).toBe(0);
    expect(existsSync(path.join(run, 'report.html'))).toBe(true);
    const sample = spawnSync('npx', ['aigc', 'sample', '--from', run, '--n', '4', '--out', path.join(app, 'grid.png'), '--backend', 'cpu'], { cwd: app, encoding: 'utf8', timeout: 120_000 });
    expect(sample.status).toBe(0);
    expect(existsSync(path.join(app, 'grid.png'))).toBe(true);
  }, 400_000);
});
