/**
 * The release the pending changesets describe: `changeset version` runs on a scratch copy of the
 * package.json files and `.changeset/`, and the versions and changelogs it writes are checked against
 * what the changesets ask for (0.x stays 0.x unless a changeset says major; the linked packages move
 * together; every released package gets a CHANGELOG entry; the adapters' peer range admits the new core).
 */
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('..', import.meta.url));
const semver = createRequire(import.meta.url)('semver') as {
  inc(version: string, release: 'major' | 'minor' | 'patch'): string | null;
  satisfies(version: string, range: string): boolean;
  gt(a: string, b: string): boolean;
};

type Bump = 'major' | 'minor' | 'patch';
const ORDER: Record<Bump, number> = { patch: 0, minor: 1, major: 2 };

interface PackageJson {
  name: string;
  version: string;
  private?: boolean;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
}

interface Changeset {
  readonly file: string;
  readonly releases: ReadonlyMap<string, Bump>;
  readonly summary: string;
}

const workspaceFolders = ['packages', 'examples'].flatMap((top) =>
  readdirSync(join(root, top), { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(join(root, top, d.name, 'package.json')))
    .map((d) => `${top}/${d.name}`),
);
const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;

/** Parses a changeset's front matter (`'@aigc/core': minor`) and its summary. */
function parseChangeset(file: string, text: string): Changeset {
  const m = /^---\r?\n([\s\S]*?)\r?\n---\r?\n([\s\S]*)$/.exec(text);
  if (!m) throw new Error(`.changeset/${file} has no front matter`);
  const releases = new Map<string, Bump>();
  for (const line of m[1]!.split(/\r?\n/).filter((l) => l.trim())) {
    const r = /^\s*['"]?([^'":]+)['"]?\s*:\s*(major|minor|patch)\s*$/.exec(line);
    if (!r) throw new Error(`.changeset/${file}: cannot read "${line}"`);
    releases.set(r[1]!, r[2] as Bump);
  }
  return { file, releases, summary: m[2]!.trim() };
}

const changesets = readdirSync(join(root, '.changeset'))
  .filter((f) => f.endsWith('.md') && f !== 'README.md')
  .map((f) => parseChangeset(f, readFileSync(join(root, '.changeset', f), 'utf8')));
const config = readJson<{ linked: string[][] }>(join(root, '.changeset/config.json'));
const before = new Map(workspaceFolders.map((f) => [f, readJson<PackageJson>(join(root, f, 'package.json'))]));
const folderOf = new Map([...before].map(([f, p]) => [p.name, f]));

/** The version each package should get: its highest bump, shared across a linked group. */
function expectedVersions(): Map<string, string> {
  const bump = new Map<string, Bump>();
  for (const c of changesets) {
    for (const [name, b] of c.releases) {
      const prev = bump.get(name);
      if (prev === undefined || ORDER[b] > ORDER[prev]) bump.set(name, b);
    }
  }
  const next = new Map<string, string>();
  for (const [name, b] of bump) next.set(name, semver.inc(before.get(folderOf.get(name)!)!.version, b)!);
  for (const group of config.linked) {
    const released = group.filter((n) => next.has(n));
    const highest = released.map((n) => next.get(n)!).reduce((a, b) => (semver.gt(b, a) ? b : a), '0.0.0');
    for (const n of released) next.set(n, highest);
  }
  return next;
}

let scratch: string;
const after = new Map<string, PackageJson>();

beforeAll(() => {
  scratch = mkdtempSync(join(tmpdir(), 'aigc-changeset-'));
  cpSync(join(root, 'package.json'), join(scratch, 'package.json'));
  for (const f of workspaceFolders) {
    mkdirSync(join(scratch, f), { recursive: true });
    cpSync(join(root, f, 'package.json'), join(scratch, f, 'package.json'));
  }
  cpSync(join(root, '.changeset'), join(scratch, '.changeset'), { recursive: true });
  // The changelog generator named in config.json resolves from the scratch folder.
  symlinkSync(join(root, 'node_modules'), join(scratch, 'node_modules'), 'dir');
  const run = spawnSync(process.execPath, [join(root, 'node_modules/@changesets/cli/bin.js'), 'version'], {
    cwd: scratch,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, CI: '1' },
  });
  if (run.status !== 0) throw new Error(`changeset version failed (${run.status}):\n${run.stderr}${run.stdout}`);
  for (const f of workspaceFolders) after.set(f, readJson<PackageJson>(join(scratch, f, 'package.json')));
}, 150_000);

afterAll(() => {
  if (scratch) rmSync(scratch, { recursive: true, force: true });
});

describe('changeset version on a scratch copy', () => {
  it('has pending changesets that name only published packages', () => {
    expect(changesets.length).toBeGreaterThan(0);
    for (const c of changesets) {
      for (const name of c.releases.keys()) {
        const folder = folderOf.get(name);
        expect(folder, `.changeset/${c.file} names unknown package ${name}`).toBeDefined();
        expect(before.get(folder!)!.private, `.changeset/${c.file} names private package ${name}`).not.toBe(true);
      }
      expect(c.summary.length, `.changeset/${c.file} has no summary`).toBeGreaterThan(20);
    }
  });

  it('gives each package the version its changesets ask for (0.x stays 0.x unless a changeset says major)', () => {
    const expected = expectedVersions();
    const majors = changesets.some((c) => [...c.releases.values()].includes('major'));
    for (const [folder, pkg] of after) {
      const old = before.get(folder)!;
      const want = expected.get(pkg.name) ?? old.version;
      expect(`${pkg.name}@${pkg.version}`).toBe(`${pkg.name}@${want}`);
      if (!majors) expect(pkg.version.split('.')[0], `${pkg.name} jumped a major version`).toBe(old.version.split('.')[0]);
    }
    // Today: 0.1.0 and minor changesets for @aigc/core, linked with the adapters.
    expect(expected.get('@aigc/core')).toMatch(/^0\./);
  });

  it('releases the four published packages together as 0.2.0, the intended first release (not 1.0.0)', () => {
    const released = Object.fromEntries([...after.values()].filter((p) => !p.private).map((p) => [p.name, p.version]));
    expect(released).toEqual({
      '@aigc/backend-node-gpu': '0.2.0',
      '@aigc/backend-webgpu': '0.2.0',
      '@aigc/cli': '0.2.0',
      '@aigc/core': '0.2.0',
    });
    expect(config.linked).toContainEqual(['@aigc/core', '@aigc/backend-webgpu', '@aigc/backend-node-gpu', '@aigc/cli']);
  });

  it('moves the linked packages together', () => {
    for (const group of config.linked) {
      const versions = new Set(group.filter((n) => expectedVersions().has(n)).map((n) => after.get(folderOf.get(n)!)!.version));
      expect(versions.size, `linked group ${group.join(', ')}: ${[...versions].join(', ')}`).toBeLessThanOrEqual(1);
    }
  });

  it('writes a CHANGELOG entry with every changeset summary into each released package', () => {
    for (const [name, version] of expectedVersions()) {
      const folder = folderOf.get(name)!;
      const log = join(scratch, folder, 'CHANGELOG.md');
      expect(existsSync(log), `${folder}/CHANGELOG.md missing`).toBe(true);
      const text = readFileSync(log, 'utf8');
      expect(text).toContain(`## ${version}`);
      for (const c of changesets.filter((c) => c.releases.has(name))) {
        const firstLine = c.summary.split('\n')[0]!.trim();
        expect(text, `${folder}/CHANGELOG.md lacks .changeset/${c.file}`).toContain(firstLine);
      }
    }
    for (const [folder, pkg] of after) {
      if (pkg.private) expect(existsSync(join(scratch, folder, 'CHANGELOG.md')), `${folder} is private`).toBe(false);
    }
    const left = readdirSync(join(scratch, '.changeset')).filter((f) => f.endsWith('.md') && f !== 'README.md');
    expect(left).toEqual([]);
  });

  it("keeps every @aigc dependency and peer range satisfied by the released versions", () => {
    const versionOf = new Map([...after.values()].map((p) => [p.name, p.version]));
    for (const pkg of after.values()) {
      for (const [dep, range] of Object.entries({ ...pkg.dependencies, ...pkg.peerDependencies })) {
        const v = versionOf.get(dep);
        if (v !== undefined) expect(semver.satisfies(v, range), `${pkg.name} peer ${dep}@${range} vs ${v}`).toBe(true);
      }
    }
  });
});
