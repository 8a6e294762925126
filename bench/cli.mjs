// `npm run bench:cli`: how long `aigc train` takes per 1,000 steps at 32 and 64 px with its
// defaults (DCGAN, 32 filters, batch 32, hinge, DiffAugment, EMA, wasm), extrapolated from a short run: the
// mean step time between the warm-up and the last step of `metrics.jsonl`, times 1,000. Grids,
// checkpoints and reports (every 500 steps by default) are not in the figure.
// Options: --sizes 32,64  --steps 40 (per size)  --warmup 5  --backend wasm  --out bench/results/cli.json
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const sizes = opt('sizes', '32,64').split(',').map(Number);
const steps = Number(opt('steps', '40'));
const warmup = Number(opt('warmup', '5'));
const backend = opt('backend', 'wasm');
const outFile = path.resolve(root, opt('out', 'bench/results/cli.json'));
const bin = path.join(root, 'packages/cli/dist/bin.js');
const data = path.join(root, 'examples/data/fashion-mnist');

const rows = [];
for (const size of sizes) {
  const run = path.join(mkdtempSync(path.join(os.tmpdir(), 'aigc-bench-cli-')), 'run');
  const args = [bin, 'train', '--data', data, '--size', String(size), '--channels', '3', '--steps', String(steps), '--backend', backend, '--sample-every', '100000', '--checkpoint-every', '100000', '--out', run];
  console.error(`== aigc train at ${size} px: ${steps} steps on ${backend}`);
  const started = Date.now();
  const child = spawnSync(process.execPath, args, { encoding: 'utf8', timeout: 60 * 60 * 1000 });
  if (child.status !== 0) {
    rows.push({ size, error: `exit ${child.status ?? child.signal}: ${child.stderr.trim().split('\n').at(-1)}` });
    continue;
  }
  const times = readFileSync(path.join(run, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l)).filter((m) => m.event === undefined).map((m) => m.time);
  const secondsPerStep = (times.at(-1) - times[warmup - 1]) / 1000 / (times.length - warmup);
  rows.push({ size, channels: 3, steps, warmup, wallSeconds: (Date.now() - started) / 1000, secondsPerStep, minutesPer1000Steps: (secondsPerStep * 1000) / 60 });
  rmSync(path.dirname(run), { recursive: true, force: true });
}
const report = {
  command: `npm run bench:cli${argv.length ? ' -- ' + argv.join(' ') : ''}`,
  machine: { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.cpus().length, node: process.version, loadAvg: os.loadavg() },
  backend,
  defaults: 'dcgan, 32 filters, batch 32, hinge, DiffAugment (color, translation, cutout), EMA 0.999',
  finishedAt: new Date().toISOString(),
  rows,
};
mkdirSync(path.dirname(outFile), { recursive: true });
writeFileSync(outFile, JSON.stringify(report, null, 2) + '\n');
console.log('| image | s/step | min per 1,000 steps |\n| --- | --- | --- |');
for (const r of rows) console.log(r.error ? `| ${r.size} px | ${r.error} | |` : `| ${r.size}x${r.size}x3 | ${r.secondsPerStep.toFixed(3)} | ${r.minutesPer1000Steps.toFixed(1)} |`);
