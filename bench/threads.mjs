// Single- vs multi-threaded wasm in Node: 1024x1024 float32 matmul GFLOP/s and Trainer steps/s
// of the MLP GAN (batch 128) and the DCGAN (batch 64), the same models as bench/run.mjs.
//
//   npm run build -w @aigc/core && node bench/threads.mjs [--threads 2] [--passes 2] [--rounds 5] [--window 2]
//
// The thread count is fixed per process (tfjs initializes the wasm module once), so each
// configuration runs in its own child process; the children alternate (single, threaded,
// single, ...) `--passes` times so slow drifts of the machine load hit both alike. Each child
// interleaves matmul, MLP and DCGAN windows of about `--window` seconds for `--rounds` rounds;
// the figures are medians over all windows of a configuration. CPU used: the child's CPU time
// (all its threads, including pthread workers) over its wall time, in cores. Machine load: the
// load average, and the CPU time other processes used while each child ran (from /proc/stat,
// minus the child's own), in cores.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};

if (opt('child', null) !== null) await child(Number(opt('child', '1')));
else parent();

/** Busy and total jiffies of all cores, from /proc/stat (null where there is none). */
function cpuJiffies() {
  try {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    const total = f.reduce((a, b) => a + b, 0);
    return { busy: total - idle, total };
  } catch {
    return null;
  }
}

function parent() {
  const threads = Number(opt('threads', String(Math.min(8, os.availableParallelism?.() ?? os.cpus().length))));
  const passes = Number(opt('passes', '2'));
  const rounds = opt('rounds', '5');
  const window = opt('window', '2');
  const hz = 100; // USER_HZ: /proc/stat counts in 1/100 s on Linux
  const runs = [];
  const loadStart = os.loadavg();
  for (let p = 0; p < passes; p++) {
    for (const t of [1, threads]) {
      const before = cpuJiffies();
      const t0 = Date.now();
      const r = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--child', String(t), '--rounds', rounds, '--window', window], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'inherit'],
        timeout: 20 * 60 * 1000,
      });
      const wall = (Date.now() - t0) / 1000;
      const after = cpuJiffies();
      if (r.status !== 0) throw new Error(`child (${t} threads) exited with ${r.status ?? r.signal}`);
      const out = JSON.parse(r.stdout.trim().split('\n').at(-1));
      const othersCores = before && after ? Math.max(0, (after.busy - before.busy) / hz - out.cpuSeconds) / wall : NaN;
      const ownCores = out.cpuSeconds / wall;
      runs.push({ ...out, wall, othersCores, ownCores, loadAvg: os.loadavg()[0] });
      console.error(`pass ${p + 1}, ${t} thread(s): ${wall.toFixed(0)} s, used ${ownCores.toFixed(2)} cores; other processes used ${othersCores.toFixed(2)} cores`);
    }
  }
  const cfgs = [...new Set(runs.map((r) => r.threads))];
  const rows = cfgs.map((t) => {
    const rs = runs.filter((r) => r.threads === t);
    const all = (k) => rs.flatMap((r) => r.windows[k]);
    return {
      threads: t,
      matmulGflops: median(all('matmul')) * 2 * 1024 ** 3 / 1e9,
      mlpStepsPerSec: median(all('mlp')),
      dcganStepsPerSec: median(all('dcgan')),
      othersCores: rs.reduce((s, r) => s + r.othersCores, 0) / rs.length,
      ownCores: rs.reduce((s, r) => s + r.ownCores, 0) / rs.length,
      windows: rs.length * Number(rounds),
    };
  });
  const base = rows.find((r) => r.threads === 1);
  const fmt = (x, d = 2) => (Number.isFinite(x) ? x.toFixed(d) : '–');
  const lines = [
    `machine: ${os.cpus()[0]?.model ?? 'unknown'}, ${os.cpus().length} logical cores, ${process.version}; load average ${loadStart.map((x) => x.toFixed(2)).join(' ')} at start, ${os.loadavg().map((x) => x.toFixed(2)).join(' ')} at end`,
    '',
    '| threads | matmul 1024² GFLOP/s | MLP GAN steps/s (batch 128) | DCGAN steps/s (batch 64) | CPU used (cores) | other processes (cores) | windows |',
    '| --- | --- | --- | --- | --- | --- | --- |',
    ...rows.map(
      (r) =>
        `| ${r.threads} | ${fmt(r.matmulGflops, 1)}${r === base ? '' : ` (${fmt(r.matmulGflops / base.matmulGflops)}x)`} | ${fmt(r.mlpStepsPerSec)}${r === base ? '' : ` (${fmt(r.mlpStepsPerSec / base.mlpStepsPerSec)}x)`} | ${fmt(r.dcganStepsPerSec)}${r === base ? '' : ` (${fmt(r.dcganStepsPerSec / base.dcganStepsPerSec)}x)`} | ${fmt(r.ownCores)} | ${fmt(r.othersCores)} | ${r.windows} |`,
    ),
  ];
  // Per child process: load changes between children show up here rather than in the medians above.
  lines.push('', '| pass | threads | matmul GFLOP/s | MLP steps/s | DCGAN steps/s | CPU used (cores) | other processes (cores) |', '| --- | --- | --- | --- | --- | --- | --- |');
  runs.forEach((r, i) =>
    lines.push(
      `| ${Math.floor(i / 2) + 1} | ${r.threads} | ${fmt(median(r.windows.matmul) * 2 * 1024 ** 3 / 1e9, 1)} | ${fmt(median(r.windows.mlp))} | ${fmt(median(r.windows.dcgan))} | ${fmt(r.ownCores)} | ${fmt(r.othersCores)} |`,
    ),
  );
  console.log(lines.join('\n'));
  console.log(JSON.stringify({ threads, passes, rounds: Number(rounds), window: Number(window), loadStart, loadEnd: os.loadavg(), rows, runs }));
}

function median(xs) {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function child(threads) {
  const { tf, useBackend, wasmBackend, Trainer } = await import('../packages/core/dist/index.js');
  await useBackend(wasmBackend({ threads: threads > 1 ? threads : false }));
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const actual = wasm.getThreadsCount();
  if (actual !== threads) throw new Error(`asked for ${threads} threads, tfjs runs ${actual}`);
  const { MODELS } = await import('./lib/models.mjs');
  const { syntheticData } = await import('./lib/data.mjs');
  const { interleavedWindows, matmulLoop, timeOnce } = await import('./lib/measure.mjs');
  const trainerLoop = (name) => {
    const def = MODELS[name];
    const gan = def.build(1).model;
    const data = syntheticData(gan.imageShape, 2048, 7);
    const trainer = new Trainer(gan, { backend: 'wasm', batchSize: def.batch, seed: 3 });
    return {
      name,
      run: async (steps) => {
        await trainer.fit(data, { steps });
      },
      dispose: () => {
        trainer.dispose();
        gan.dispose();
      },
    };
  };
  const loops = [matmulLoop(), trainerLoop('mlp'), trainerLoop('dcgan')];
  const windowSec = Number(opt('window', '2'));
  const stepsPerWindow = {};
  for (const loop of loops) {
    await loop.run(1);
    stepsPerWindow[loop.name] = Math.max(1, Math.round(windowSec / (await timeOnce(() => loop.run(1)))));
  }
  const windows = await interleavedWindows(loops, stepsPerWindow, Number(opt('rounds', '5')), (name, rate) =>
    console.error(`  [${threads} thread(s)] ${name} ${rate.toFixed(3)} steps/s`),
  );
  loops.forEach((l) => l.dispose());
  const cpu = process.cpuUsage();
  console.log(JSON.stringify({ threads: actual, backend: tf.getBackend(), stepsPerWindow, windows, cpuSeconds: (cpu.user + cpu.system) / 1e6 }));
}
