/**
 * `aigc` end to end, in process, on small data: train a few steps, resume exactly, sample,
 * interpolate, info, and the one-line errors with their exit codes.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import * as path from 'node:path';
import { decode } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
import { encodePng } from '@aigc/core';
import { loadGenerator } from '@aigc/core/node';
import { aigc, cleanTemps, EMBEDDED, temp, TINY } from './helpers.js';

afterAll(cleanTemps);

const png = (file: string) => {
  const p = decode(readFileSync(file));
  return { width: p.width, height: p.height, channels: p.channels };
};
/** Metric rows of a run without their wall-clock times. */
const steps = (run: string) =>
  readFileSync(path.join(run, 'metrics.jsonl'), 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>)
    .filter((m) => m.event === undefined)
    .map(({ time: _t, ...m }) => m);
const weights = (run: string) => {
  const dir = path.join(run, 'generator');
  return readdirSync(dir).filter((f) => f.endsWith('.bin')).sort().map((f) => readFileSync(path.join(dir, f)));
};

describe('aigc train', () => {
  const root = temp();
  const run = path.join(root, 'run');

  it('trains a few steps and writes grids, metrics, checkpoint, generator, data report, report and config', async () => {
    const r = await aigc(['train', '--data', EMBEDDED, ...TINY, '--steps', '4', '--sample-every', '2', '--checkpoint-every', '2', '--out', run]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('New run: dcgan 16x16x3');
    expect(r.stdout).toMatch(/step 4\/4 .*ETA/);
    // 8x8 tiles of 16 px with 2 px padding: 8 * 16 + 9 * 2 = 146, colour.
    expect(png(path.join(run, 'samples', 'samples-000002.png'))).toEqual({ width: 146, height: 146, channels: 3 });
    expect(existsSync(path.join(run, 'samples', 'samples-000004.png'))).toBe(true);
    expect(steps(run).map((m) => m.step)).toEqual([1, 2, 3, 4]);
    expect(existsSync(path.join(run, 'checkpoint', 'manifest.json'))).toBe(true);
    const g = await loadGenerator(path.join(run, 'generator'));
    expect([g.latentDim, ...g.imageShape]).toEqual([100, 16, 16, 3]);
    g.dispose();
    const report = JSON.parse(readFileSync(path.join(run, 'data-report.json'), 'utf8'));
    expect(report).toMatchObject({ loaded: 64, skipped: [], imageShape: [16, 16, 3] });
    const config = JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8'));
    expect(config).toMatchObject({ format: 1, model: 'dcgan', size: 16, channels: 3, steps: 4, batch: 8, loss: 'hinge', ema: 0.999 });
    const html = readFileSync(path.join(run, 'report.html'), 'utf8');
    expect(html).toMatch(/^<!doctype html>/);
    expect(html).toContain('4 steps logged; last step 4.');
    expect(html.match(/<img alt="samples at step (\d+)"/g)?.map((s) => s.replace(/\D/g, ''))).toEqual(['2', '4']);
    expect(html).not.toMatch(/<script[^>]+src=|<link[^>]+href=/); // nothing loaded from elsewhere
    expect(readFileSync(path.join(run, 'losses.svg'), 'utf8')).toMatch(/^<svg[^>]*xmlns="http:\/\/www.w3.org\/2000\/svg"/);
  });

  it('refuses to overwrite a run without --resume, with a one-line usage error', async () => {
    const r = await aigc(['train', '--data', EMBEDDED, ...TINY, '--steps', '4', '--out', run]);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`Error: ${run} already holds a run; pass --resume to continue it, or choose another --out.\nRun "aigc train --help" for usage.\n`);
  });

  it('sample writes a grid or one PNG per image; interpolate writes rows of steps; info says where the run stands', async () => {
    const grid = path.join(root, 'grid.png');
    expect((await aigc(['sample', '--from', run, '--n', '6', '--columns', '3', '--out', grid, '--backend', 'cpu'])).code).toBe(0);
    expect(png(grid)).toEqual({ width: 3 * 16 + 4 * 2, height: 2 * 16 + 3 * 2, channels: 3 });
    const folder = path.join(root, 'each') + path.sep;
    const each = await aigc(['sample', '--from', run, '--n', '3', '--truncation', '0.7', '--out', folder, '--backend', 'cpu']);
    expect(each.code).toBe(0);
    expect(readdirSync(folder).sort()).toEqual(['sample-1.png', 'sample-2.png', 'sample-3.png']);
    expect(png(path.join(folder, 'sample-1.png'))).toEqual({ width: 16, height: 16, channels: 3 });
    // The same seed gives the same images.
    const again = path.join(root, 'again.png');
    await aigc(['sample', '--from', run, '--n', '6', '--columns', '3', '--out', again, '--backend', 'cpu']);
    expect(readFileSync(again)).toEqual(readFileSync(grid));

    const strip = path.join(root, 'strip.png');
    const i = await aigc(['interpolate', '--from', run, '--steps', '5', '--rows', '2', '--slerp', '--out', strip, '--backend', 'cpu']);
    expect(i.stderr).toBe('');
    expect(i.code).toBe(0);
    expect(png(strip)).toEqual({ width: 5 * 16 + 6 * 2, height: 2 * 16 + 3 * 2, channels: 3 });

    const info = await aigc(['info', run]);
    expect(info.code).toBe(0);
    expect(info.stdout).toContain('model    dcgan 16x16x3, hinge loss, aug diffaugment');
    expect(info.stdout).toContain('steps    4 of 4, checkpoint at 4');
    expect(info.stdout).toMatch(/last {5}D \d/);
    const json = JSON.parse((await aigc(['info', run, '--json'])).stdout);
    expect(json).toMatchObject({ steps: { logged: 4, target: 4, checkpoint: 4 }, files: { generator: true, checkpoint: true, report: true } });
  });
});

describe('aigc train --resume', () => {
  it('continues exactly: metrics and averaged generator weights equal an uninterrupted run on cpu', async () => {
    const root = temp();
    const straight = path.join(root, 'straight');
    const split = path.join(root, 'split');
    const common = ['--data', EMBEDDED, ...TINY, '--sample-every', '100', '--checkpoint-every', '100'];
    expect((await aigc(['train', ...common, '--steps', '4', '--out', straight])).code).toBe(0);
    expect((await aigc(['train', ...common, '--steps', '2', '--out', split])).code).toBe(0);
    const resumed = await aigc(['train', '--out', split, '--resume', '--steps', '4']);
    expect(resumed.stderr).toBe('');
    expect(resumed.code).toBe(0);
    expect(resumed.stdout).toContain('Resuming at step 2');
    expect(steps(split)).toEqual(steps(straight));
    expect(steps(split)).toHaveLength(4);
    expect(weights(split)).toEqual(weights(straight));
    // At the target already: nothing to train, exit 0.
    const done = await aigc(['train', '--out', split, '--resume']);
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('Already at step 4 of 4');
  });

  it('stops between steps when aborted (Ctrl-C), saves the checkpoint and exits with 130', async () => {
    const run = path.join(temp(), 'run');
    const controller = new AbortController();
    const argv = ['train', '--data', EMBEDDED, ...TINY, '--steps', '50', '--sample-every', '100', '--checkpoint-every', '100', '--out', run];
    // Abort once the second step's metrics line is on disk.
    const timer = setInterval(() => {
      if (existsSync(path.join(run, 'metrics.jsonl')) && readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').includes('"step":2,')) controller.abort();
    }, 20);
    const r = await aigc(argv, controller.signal);
    clearInterval(timer);
    expect(r.code).toBe(130);
    expect(r.stdout).toMatch(/Interrupted at step \d+: checkpoint saved; continue with: aigc train --out .* --resume/);
    const info = JSON.parse((await aigc(['info', run, '--json'])).stdout);
    expect(info.steps.checkpoint).toBe(info.steps.logged);
    expect(info.steps.logged).toBeLessThan(50);
  });
});

/** A folder of pictures as people have them: colour, gray and RGBA PNGs of mixed sizes, a corrupt PNG, a text file; `classes` puts them in subfolders. */
function pictureFolder(classes?: readonly string[]): string {
  const dir = path.join(temp(), 'pictures');
  const folders = classes ?? [''];
  folders.forEach((name, k) => {
    const sub = path.join(dir, name);
    mkdirSync(sub, { recursive: true });
    for (let i = 0; i < 12; i++) {
      const [w, h, channels] = ([[20, 20, 3], [12, 16, 1], [30, 24, 4]] as const)[i % 3] as readonly [number, number, 1 | 3 | 4];
      const data = new Uint8Array(w * h * channels).map((_, j) => (j * (7 + i) + k * 90 + i * 13) % 256);
      writeFileSync(path.join(sub, `img-${i}.png`), encodePng({ width: w, height: h, channels, data }));
    }
  });
  writeFileSync(path.join(dir, folders[0] as string, 'broken.png'), Buffer.from('\x89PNG\r\n\x1a\n this is not a png'));
  writeFileSync(path.join(dir, folders[0] as string, 'notes.txt'), 'not an image');
  return dir;
}

describe('aigc train on a folder of pictures', () => {
  it('loads colour, gray and RGBA PNGs of mixed sizes, skips the corrupt file with a reason, and trains in colour', async () => {
    const data = pictureFolder();
    const run = path.join(temp(), 'run');
    const r = await aigc(['train', '--data', data, '--size', '16', '--filters', '4', '--batch', '4', '--steps', '2', '--backend', 'cpu', '--cache', 'off', '--out', run]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/image folder .*: 12 images at 16x16x3/);
    const report = JSON.parse(readFileSync(path.join(run, 'data-report.json'), 'utf8'));
    expect(report.loaded).toBe(12);
    expect(report.skipped.map((s: { file: string }) => path.basename(s.file)).sort()).toEqual(['broken.png', 'notes.txt']);
    expect(png(path.join(run, 'samples', 'samples-000002.png')).channels).toBe(3);
    expect(readFileSync(path.join(run, 'report.html'), 'utf8')).toContain('broken.png');
  });

  it('--conditional takes one class per subfolder, and sample --class draws from one', async () => {
    const data = pictureFolder(['cats', 'dogs']);
    const run = path.join(temp(), 'run');
    const r = await aigc(['train', '--data', data, '--size', '16', '--channels', '1', '--filters', '4', '--batch', '4', '--steps', '2', '--conditional', '--backend', 'cpu', '--cache', 'off', '--out', run]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(path.join(run, 'run.json'), 'utf8')).data.classNames).toEqual(['cats', 'dogs']);
    const grid = path.join(path.dirname(run), 'dogs.png');
    expect((await aigc(['sample', '--from', run, '--class', 'dogs', '--n', '4', '--out', grid, '--backend', 'cpu'])).code).toBe(0);
    expect(png(grid)).toEqual({ width: 2 * 16 + 3 * 2, height: 2 * 16 + 3 * 2, channels: 1 });
    const noClass = await aigc(['sample', '--from', run, '--out', grid, '--backend', 'cpu']);
    expect(noClass.code).toBe(2);
    expect(noClass.stderr).toContain('Error: this run is conditional: pick a class with --class (one of cats, dogs).');
    const unknown = await aigc(['sample', '--from', run, '--class', 'birds', '--out', grid, '--backend', 'cpu']);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toBe('Error: Unknown class "birds"; this run\'s classes are cats, dogs.\n');
  });
});

describe('aigc train --fid-every and aigc evaluate --from', () => {
  it('logs FID during training on 28x28 gray data, charts it, and scores the run with the evaluator', async () => {
    const run = path.join(temp(), 'run');
    const gray = ['--size', '28', '--channels', '1', '--filters', '4', '--batch', '8', '--limit', '64', '--backend', 'cpu'];
    const r = await aigc(['train', '--data', EMBEDDED, ...gray, '--steps', '2', '--fid-every', '2', '--out', run]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const fid = readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.event === 'fid');
    expect(fid).toHaveLength(1);
    expect(fid[0]).toMatchObject({ step: 2, n: 64 });
    expect(fid[0].fid).toBeGreaterThan(0);
    expect(readFileSync(path.join(run, 'report.html'), 'utf8')).toContain('id="chart-fid"');
    const e = await aigc(['evaluate', '--from', run, '--real', EMBEDDED, '--n', '64', '--metrics', 'fid', '--backend', 'cpu']);
    expect(e.stderr).toBe('');
    expect(e.code).toBe(0);
    expect(e.stdout).toContain(`generated: 64 samples from the generator in ${path.join(run, 'generator')}`);
    expect(e.stdout).toMatch(/fid/i);
    const bad = await aigc(['evaluate', '--n', '5']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toBe('Error: pass exactly one of --images PATH or --generator DIR.\nRun "aigc evaluate --help" for usage.\n');
    const color = await aigc(['train', '--data', EMBEDDED, ...TINY, '--steps', '2', '--fid-every', '2', '--out', path.join(temp(), 'c')]);
    expect(color.code).toBe(1);
    expect(color.stderr).toMatch(/^Error: --fid-every needs 28x28 gray images/);
  });
});

describe('aigc errors', () => {
  it('prints one Error line and a pointer to --help for usage mistakes (exit 2)', async () => {
    const cases: Array<[string[], string]> = [
      [['train', '--steps', 'many'], 'Error: --steps must be an integer, got "many".'],
      [['train', '--data', EMBEDDED, '--size', '3'], 'Error: --size must be at least 8, got 3.'],
      [['train', '--data', EMBEDDED, '--loss', 'magic'], 'Error: --loss must be one of hinge, non-saturating, wgan-gp, least-squares, relativistic-average, minimax, got "magic".'],
      [['train', '--bogus'], "Error: Unknown option '--bogus'."],
      [['train'], 'Error: give --data DIR (the folder of training images), or --out RUN with --resume.'],
      [['sample', '--from', 'x'], 'Error: give --out FILE.png (a grid) or --out DIR/ (one PNG per image).'],
      [['info'], 'Error: give the run folder: aigc info RUN.'],
    ];
    for (const [argv, line] of cases) {
      const r = await aigc(argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.stderr, argv.join(' ')).toBe(`${line}\nRun "aigc ${argv[0]} --help" for usage.\n`);
    }
    const unknown = await aigc(['trian']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/^Error: unknown command "trian"; the commands are train, sample, interpolate, evaluate, info\.\nRun "aigc --help" for usage\.\n$/);
  });

  it('prints the library message for bad folders and runs (exit 1), without a stack trace', async () => {
    const root = temp();
    const empty = path.join(root, 'empty');
    mkdirSync(empty);
    const file = path.join(root, 'file.txt');
    writeFileSync(file, 'not a folder');
    const cases: Array<[string[], RegExp]> = [
      [['train', '--data', path.join(root, 'missing'), '--out', path.join(root, 'a')], /^Error: The data folder .*missing does not exist; pass --data with a folder of images\.\n$/],
      [['train', '--data', file, '--out', path.join(root, 'b')], /^Error: .*file\.txt is a file, not a folder/],
      [['train', '--data', empty, '--out', path.join(root, 'c')], /^Error: .*empty/],
      [['sample', '--from', root, '--out', path.join(root, 'g.png')], /^Error: .* is not an aigc run folder \(no run\.json\)/],
      [['info', empty], /^Error: .* is not an aigc run folder/],
      [['train', '--data', EMBEDDED, ...TINY, '--backend', 'tpu', '--steps', '1', '--out', path.join(root, 'd')], /^Error: Unknown backend "tpu"/],
    ];
    for (const [argv, pattern] of cases) {
      const r = await aigc(argv);
      expect(r.code, argv.join(' ')).toBe(1);
      expect(r.stderr, argv.join(' ')).toMatch(pattern);
      expect(r.stderr.trim().split('\n'), argv.join(' ')).toHaveLength(1);
      expect(r.stderr).not.toMatch(/\n\s+at /);
    }
  });

  it('has --help on every command', async () => {
    const main = await aigc(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/^Usage: aigc <command>/);
    for (const command of ['train', 'sample', 'interpolate', 'evaluate', 'info']) {
      const r = await aigc([command, '--help']);
      expect(r.code, command).toBe(0);
      expect(r.stdout, command).toMatch(new RegExp(`^Usage: aigc ${command}`));
    }
    expect((await aigc(['train', '--help'])).stdout).toContain('--resume');
  });
});
