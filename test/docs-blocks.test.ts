/**
 * Every ```ts block of README.md, docs/*.md and the package and example READMEs is type-checked
 * against the BUILT packages (one TypeScript program for all blocks); ```ts runnable blocks are also
 * run with tsx; ```ts fragment blocks are skipped and listed. Needs `npm run build` first.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, describe, expect, it } from 'vitest';
import { blockFileName, collectBlocks, extractBlocks, type DocBlock } from './docs-blocks.js';

const root = fileURLToPath(new URL('..', import.meta.url));
const blocks = collectBlocks(root);
const checked = blocks.filter((b) => b.kind !== 'fragment');
const where = (b: DocBlock) => `${b.file}:${b.line}`;

const work = mkdtempSync(join(tmpdir(), 'aigc-docs-blocks-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Writes the blocks as modules in a folder whose node_modules is the workspace's (so `@aigc/*` resolves). */
function writeBlocks(): Map<string, DocBlock> {
  symlinkSync(join(root, 'node_modules'), join(work, 'node_modules'), 'dir');
  writeFileSync(join(work, 'package.json'), JSON.stringify({ type: 'module', private: true }));
  const files = new Map<string, DocBlock>();
  for (const b of checked) {
    const path = join(work, blockFileName(b));
    // A block without imports is still a module of its own (top-level await, no shared scope).
    writeFileSync(path, `${b.code}\nexport {};\n`);
    files.set(path, b);
  }
  return files;
}

describe('extractBlocks', () => {
  it('reads info strings and lines', () => {
    const md = ['# t', '```ts', 'a', '```', '```ts fragment', 'b', '```', '````ts runnable', 'c', '```', '````', '```sh', 'd', '```'];
    const got = extractBlocks('x.md', md.join('\n'));
    expect(got.map((b) => [b.line, b.kind, b.code])).toEqual([
      [3, 'compile', 'a'],
      [6, 'fragment', 'b'],
      [9, 'runnable', 'c\n```'],
    ]);
  });
});

describe('docs code blocks', () => {
  it('finds the blocks and lists the fragments', () => {
    const fragments = blocks.filter((b) => b.kind === 'fragment');
    console.log(
      `docs blocks: ${blocks.length} (${checked.length} compiled, ` +
        `${blocks.filter((b) => b.kind === 'runnable').length} runnable, ${fragments.length} fragments skipped` +
        `${fragments.length ? `: ${fragments.map(where).join(', ')}` : ''})`,
    );
    expect(checked.length).toBeGreaterThan(10);
  });

  it('every ts block type-checks against the built packages', () => {
    for (const dist of ['packages/core/dist/index.d.ts', 'packages/core/dist/node.d.ts']) {
      expect(existsSync(join(root, dist)), `${dist} is missing: run \`npm run build\` first`).toBe(true);
    }
    const files = writeBlocks();
    const program = ts.createProgram([...files.keys()], {
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts', 'lib.dom.iterable.d.ts'],
      strict: true,
      noEmit: true,
      skipLibCheck: true,
      esModuleInterop: true,
      types: ['node'],
      typeRoots: [join(root, 'node_modules/@types')],
    });
    const errors: string[] = [];
    for (const d of ts.getPreEmitDiagnostics(program)) {
      const text = ts.flattenDiagnosticMessageText(d.messageText, '\n  ');
      const block = d.file ? files.get(d.file.fileName) ?? files.get(join(work, d.file.fileName.split('/').pop()!)) : undefined;
      if (d.file && block && d.start !== undefined) {
        const { line } = d.file.getLineAndCharacterOfPosition(d.start);
        errors.push(`${block.file}:${block.line + line} (block at line ${block.line}): TS${d.code} ${text}`);
      } else {
        errors.push(`${d.file?.fileName ?? '(global)'}: TS${d.code} ${text}`);
      }
    }
    expect(errors, `doc blocks that do not compile:\n${errors.join('\n')}\n`).toEqual([]);
  }, 120_000);

  const runnable = blocks.filter((b) => b.kind === 'runnable');
  it.each(runnable.map((b) => [where(b), b] as const))('runs %s', (_, b) => {
    const dir = join(work, 'run');
    mkdirSync(dir, { recursive: true });
    const path = join(work, blockFileName(b));
    if (!existsSync(path)) writeFileSync(path, `${b.code}\nexport {};\n`);
    const result = spawnSync(join(root, 'node_modules/.bin/tsx'), [path], {
      cwd: dir,
      encoding: 'utf8',
      timeout: 120_000,
      env: { ...process.env, NODE_OPTIONS: '' },
    });
    expect(result.status, `${where(b)} failed (${result.signal ?? result.status}):\n${result.stderr}${result.stdout}`).toBe(0);
  }, 150_000);
});
