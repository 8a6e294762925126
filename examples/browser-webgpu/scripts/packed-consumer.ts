/**
 * The packed-consumer check: packs every publishable package with `npm pack`, checks the tarball
 * contents (no tests, no source maps, everything `exports` names is there), installs the
 * tarballs into a fresh app outside the workspace (dependencies from the npm registry) and
 * imports them from ESM, from CommonJS and from a Vite browser build run in Chromium.
 *
 *   npx tsx examples/browser-webgpu/scripts/packed-consumer.ts [--keep]
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const repo = resolve(fileURLToPath(new URL('../../..', import.meta.url)));

/** The packages published to npm, by folder. */
export const PUBLISHED = ['packages/core', 'packages/backend-webgpu', 'packages/backend-node-gpu'] as const;

/** What `npm pack --json` reports per package. */
interface PackInfo {
  readonly name: string;
  readonly filename: string;
  readonly files: ReadonlyArray<{ readonly path: string }>;
}

/** Result of {@link runPackedConsumerCheck}. */
export interface ConsumerReport {
  /** Tarball file names. */
  readonly tarballs: string[];
  /** Files per package in its tarball. */
  readonly fileCounts: Record<string, number>;
  /** Output of the ESM consumer. */
  readonly esm: Record<string, unknown>;
  /** Output of the CommonJS consumer. */
  readonly cjs: Record<string, unknown>;
  /** What the Vite-built page reported in Chromium (or why it did not run). */
  readonly browser: Record<string, unknown>;
  /** Bytes of JavaScript in the Vite build. */
  readonly bundleBytes: number;
  /** The temporary folder (removed unless `keep`). */
  readonly workDir: string;
}

function run(cmd: string, args: string[], cwd: string): string {
  return execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 << 20 });
}

/** Paths in a tarball that must not be published: tests, test helpers, source maps, sources. */
export function forbiddenPackPaths(paths: readonly string[]): string[] {
  return paths.filter((p) => /(\.test\.|\.test-utils\.|\.spec\.|(^|\/)__tests__\/|\.map$|(^|\/)src\/|(^|\/)test\/)/.test(p));
}

/** Every file the package.json `main`/`module`/`types`/`exports`/`bin` fields point to, relative to the package. */
export function declaredFiles(pkg: Record<string, unknown>): string[] {
  const out = new Set<string>();
  const visit = (v: unknown): void => {
    if (typeof v === 'string') {
      if (v.startsWith('./') && !v.includes('*')) out.add(v.slice(2));
    } else if (v && typeof v === 'object') for (const x of Object.values(v)) visit(x);
  };
  for (const key of ['main', 'module', 'types', 'exports', 'bin']) {
    const v = pkg[key];
    visit(typeof v === 'string' && !v.startsWith('./') ? `./${v}` : v);
  }
  return [...out];
}

function checkTarball(info: PackInfo, pkgDir: string): void {
  const paths = info.files.map((f) => f.path);
  const bad = forbiddenPackPaths(paths);
  if (bad.length > 0) throw new Error(`${info.name}: the tarball must not contain ${bad.join(', ')}. Fix "files" in ${pkgDir}/package.json.`);
  const pkg = JSON.parse(readFileSync(join(pkgDir, 'package.json'), 'utf8')) as Record<string, unknown>;
  const missing = declaredFiles(pkg).filter((p) => !paths.includes(p));
  if (missing.length > 0) throw new Error(`${info.name}: package.json points to ${missing.join(', ')}, missing from the tarball. Build first.`);
}

async function browserCheck(dist: string): Promise<Record<string, unknown>> {
  const { browserMissingReason, launchChromium } = await import('../test/browser.js');
  const { serveStatic } = await import('../test/serve.js');
  const missing = browserMissingReason();
  if (missing !== undefined) return { skipped: missing };
  const server = await serveStatic(dist);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage();
    await page.goto(server.url);
    await page.waitForFunction(() => document.body.dataset.result !== undefined, null, { timeout: 240_000 });
    return JSON.parse((await page.evaluate(() => document.body.dataset.result)) as string) as Record<string, unknown>;
  } finally {
    await browser.close();
    await server.close();
  }
}

/** Packs, installs and imports the packages; throws with a clear message on the first failure. */
export async function runPackedConsumerCheck(options: { keep?: boolean; build?: boolean } = {}): Promise<ConsumerReport> {
  const work = mkdtempSync(join(tmpdir(), 'aigc-packed-consumer-'));
  const tarballDir = join(work, 'tarballs');
  const app = join(work, 'app');
  mkdirSync(tarballDir);
  try {
    if (options.build ?? true) for (const dir of PUBLISHED) run('npm', ['run', 'build', '--silent'], join(repo, dir));
    const infos: PackInfo[] = [];
    for (const dir of PUBLISHED) {
      const pkgDir = join(repo, dir);
      const [info] = JSON.parse(run('npm', ['pack', '--json', '--pack-destination', tarballDir], pkgDir)) as PackInfo[];
      if (!info) throw new Error(`npm pack printed nothing for ${dir}.`);
      checkTarball(info, pkgDir);
      infos.push(info);
    }

    cpSync(fileURLToPath(new URL('./consumer', import.meta.url)), app, { recursive: true });
    const dependencies = Object.fromEntries(infos.map((i) => [i.name, `file:../tarballs/${i.filename}`]));
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'aigc-packed-consumer', private: true, version: '0.0.0', dependencies }, null, 2),
    );
    run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error'], app);

    const esm = JSON.parse(run(process.execPath, ['esm.mjs'], app).trim().split('\n').pop() as string);
    const cjs = JSON.parse(run(process.execPath, ['cjs.cjs'], app).trim().split('\n').pop() as string);

    // The workspace's Vite builds the app; modules resolve from the app's own node_modules.
    const vite = (await import(pathToFileURL(join(repo, 'node_modules/vite/dist/node/index.js')).href)) as typeof import('vite');
    const dist = join(app, 'dist');
    await vite.build({ root: app, configFile: false, logLevel: 'warn', base: './', build: { outDir: dist, target: 'es2022', chunkSizeWarningLimit: 8192 } });
    const assets = join(dist, 'assets');
    const jsFiles = existsSync(assets) ? execFileSync('ls', [assets], { encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.js')) : [];
    if (jsFiles.length === 0) throw new Error('The Vite build of the consumer produced no JavaScript.');
    let bundleBytes = 0;
    for (const f of jsFiles) {
      const text = readFileSync(join(assets, f), 'utf8');
      bundleBytes += text.length;
      if (/from\s*["']node:|require\(["']node:/.test(text)) throw new Error(`The browser bundle ${f} imports a node: module.`);
    }
    const browser = await browserCheck(dist);

    return {
      tarballs: infos.map((i) => i.filename),
      fileCounts: Object.fromEntries(infos.map((i) => [i.name, i.files.length])),
      esm,
      cjs,
      browser,
      bundleBytes,
      workDir: work,
    };
  } finally {
    if (!options.keep) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const report = await runPackedConsumerCheck({ keep: process.argv.includes('--keep') });
  console.log(JSON.stringify(report, null, 2));
}
