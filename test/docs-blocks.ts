/**
 * Extracts the TypeScript code blocks of the repository's Markdown docs so a test can compile them
 * against the built packages. Info strings: `ts` (compiled), `ts fragment` (skipped: not a whole
 * program), `ts runnable` (compiled and run).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';

/** One fenced TypeScript block of a Markdown file. */
export interface DocBlock {
  /** Path relative to the repository root. */
  readonly file: string;
  /** 1-based line of the block's first code line (the line after the opening fence). */
  readonly line: number;
  readonly kind: 'compile' | 'fragment' | 'runnable';
  readonly code: string;
}

/** The Markdown files whose blocks are checked: README.md, docs/*.md, packages/*, examples/* READMEs. */
export function docFiles(root: string): string[] {
  const files: string[] = [];
  const add = (path: string) => {
    if (existsSync(path)) files.push(path);
  };
  add(join(root, 'README.md'));
  const docs = join(root, 'docs');
  if (existsSync(docs)) {
    for (const name of readdirSync(docs).sort()) if (name.endsWith('.md')) files.push(join(docs, name));
  }
  for (const top of ['packages', 'examples']) {
    const dir = join(root, top);
    if (!existsSync(dir)) continue;
    for (const d of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (d.isDirectory()) add(join(dir, d.name, 'README.md'));
    }
  }
  return files;
}

const TS_LANGS = new Set(['ts', 'typescript', 'tsx', 'mts']);

/** Splits one Markdown text into its TypeScript blocks (any fence of three or more backticks or tildes). */
export function extractBlocks(file: string, text: string): DocBlock[] {
  const lines = text.split(/\r?\n/);
  const blocks: DocBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = /^\s*(`{3,}|~{3,})\s*([^`\s]*)\s*(.*)$/.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const lang = open[2]!.toLowerCase();
    const rest = open[3]!.trim().toLowerCase().split(/\s+/).filter(Boolean);
    let end = i + 1;
    const close = new RegExp(`^\\s*${fence[0] === '`' ? '`' : '~'}{${fence.length},}\\s*$`);
    while (end < lines.length && !close.test(lines[end]!)) end++;
    if (TS_LANGS.has(lang)) {
      const kind = rest.includes('fragment') ? 'fragment' : rest.includes('runnable') ? 'runnable' : 'compile';
      blocks.push({ file, line: i + 2, kind, code: lines.slice(i + 1, end).join('\n') });
    }
    i = end;
  }
  return blocks;
}

/** All blocks of all doc files, with paths relative to `root`. */
export function collectBlocks(root: string): DocBlock[] {
  return docFiles(root).flatMap((path) => extractBlocks(relative(root, path), readFileSync(path, 'utf8')));
}

/** A file name for a block: `docs/losses.md` line 7 -> `docs__losses.md__L7.ts`. */
export function blockFileName(block: DocBlock): string {
  return `${block.file.replace(/[\\/]/g, '__')}__L${block.line}.ts`;
}
