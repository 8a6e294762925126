// `npm run bench`: trains the MLP GAN, the DCGAN and the MLP VAE on each backend (one child process per
// backend), writes bench/results/latest.json and the table in docs/benchmarks.md.
// Options: --backends cpu,wasm,wasm-1,webgpu,wasm-stock (wasm: the default thread choice; wasm-N: N threads pinned; wasm-N-xnnpack: the same without aigc's GEMM)  --models mlp,dcgan,vae  --rounds 5  --window 2
//          --budget 100 (seconds per backend and model)  --leak-steps 1000 (wasm)  --long (9 rounds, 4 s windows)
//          --no-augment (skip the DCGAN 32x32x3 / 64x64x3 rows with and without DiffAugment, bench/augment.mjs, on wasm)
//          --cpu-models mlp --webgpu-models mlp (here tfjs-backend-cpu takes ~1 min and SwiftShader
//          webgpu several minutes per DCGAN step, so they run the MLP only unless asked)  --no-docs (keep docs/benchmarks.md)
//          --settle 150 (most seconds to wait, before each default-wasm child, for the load average to leave 1.5 cores free)
//          --images-count 10000 (files per format for the folder-loading rows, bench/images.mjs)  --no-images
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { fileURLToPath } from 'node:url';
import { renderMarkdown, updateDocs } from './lib/report.mjs';
import { renderImagesMarkdown } from './lib/images-report.mjs';
import { renderAugmentMarkdown, updateAugmentDocs } from './lib/augment-report.mjs';

const root = fileURLToPath(new URL('..', import.meta.url));
const argv = process.argv.slice(2);
const flag = (name) => argv.includes(`--${name}`);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const long = flag('long');
const plan = {
  backends: opt('backends', 'cpu,wasm,wasm-1,webgpu,wasm-stock').split(','),
  models: opt('models', 'mlp,dcgan,vae'),
  rounds: opt('rounds', long ? '9' : '5'),
  window: opt('window', long ? '4' : '2'),
  budget: opt('budget', long ? '600' : '100'),
  leakSteps: opt('leak-steps', '1000'),
  modelsFor: { cpu: opt('cpu-models', 'mlp'), webgpu: opt('webgpu-models', 'mlp') },
};

const version = (pkg) => JSON.parse(readFileSync(`${root}node_modules/${pkg}/package.json`, 'utf8')).version;
const machine = {
  cpu: os.cpus()[0]?.model ?? 'unknown',
  cores: os.cpus().length,
  memoryGiB: Math.round(os.totalmem() / 2 ** 30),
  platform: `${os.platform()} ${os.release()} ${os.arch()}`,
  node: process.version,
  tfjs: version('@tensorflow/tfjs-core'),
  loadAvgStart: os.loadavg(),
};
/**
 * The default wasm backend decides its thread count from the 1-minute load average at start
 * (packages/core/src/backends/wasm-threads/choice.ts), which still counts the previous child's
 * work for a minute or two. So before each child that uses the default, wait (at most
 * --settle seconds, default 150) until the load leaves 1.5 cores free, as on an idle machine.
 */
async function settle(label) {
  const limit = Number(opt('settle', '150'));
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  const t0 = Date.now();
  while (cores - os.loadavg()[0] < 1.5 && (Date.now() - t0) / 1000 < limit) await new Promise((r) => setTimeout(r, 5000));
  const waited = (Date.now() - t0) / 1000;
  if (waited > 0.5) console.error(`(${label}: waited ${waited.toFixed(0)} s for the load average to settle; now ${os.loadavg()[0].toFixed(2)} on ${cores} cores)`);
}
const command = `npm run bench${argv.length ? ' -- ' + argv.join(' ') : ''}`;
const started = Date.now();
const results = [];
mkdirSync(`${root}bench/results`, { recursive: true });
for (const backend of plan.backends) {
  const out = `${root}bench/results/.worker-${backend}.json`;
  const models = plan.modelsFor[backend] ?? plan.models;
  const wargs = ['--expose-gc', `${root}bench/worker.mjs`, '--backend', backend, '--models', models, '--rounds', plan.rounds, '--window', plan.window, '--budget', plan.budget, '--out', out];
  // The stock-kernel wasm run is a before/after reference: hand-written loop only.
  if (backend === 'wasm-stock') wargs.push('--loops', 'hand');
  if (backend === 'wasm' || backend === 'wasm-1') wargs.push('--leak-steps', plan.leakSteps);
  console.error(`\n== ${backend} ==`);
  if (backend === 'wasm' || backend === 'wasm-stock') await settle(backend);
  const env = { ...process.env };
  if (backend === 'webgpu') {
    // Dawn needs a Vulkan loader and driver; Debian's chromium package ships both (SwiftShader, on the CPU).
    env.VK_ICD_FILENAMES ??= '/usr/lib/chromium/vk_swiftshader_icd.json';
    env.LD_LIBRARY_PATH = ['/usr/lib/chromium', env.LD_LIBRARY_PATH].filter(Boolean).join(':');
  }
  const child = spawnSync(process.execPath, wargs, { stdio: ['ignore', 'inherit', 'inherit'], env, timeout: 30 * 60 * 1000 });
  let r;
  try {
    r = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    r = { backend, available: false, error: `worker exited with ${child.status ?? child.signal} before writing results` };
  }
  rmSync(out, { force: true });
  results.push(r);
}
let augment;
if (!flag('no-augment')) {
  console.error('\n== DCGAN 32x32x3 / 64x64x3 with and without DiffAugment (wasm) ==');
  await settle('augment');
  const out = `${root}bench/results/.worker-augment.json`;
  spawnSync(process.execPath, ['--expose-gc', `${root}bench/augment.mjs`, '--backend', 'wasm', '--budget', String(Math.max(120, Number(plan.budget) * 2)), '--out', out], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60 * 1000 });
  try {
    augment = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    augment = { available: false, error: 'bench/augment.mjs exited before writing results' };
  }
  rmSync(out, { force: true });
}
let images;
if (!flag('no-images')) {
  console.error('\n== loading image folders (decode + resize to 64x64x3, cached reload) ==');
  const out = `${root}bench/results/.worker-images.json`;
  spawnSync(process.execPath, [`${root}bench/images.mjs`, '--count', opt('images-count', '10000'), '--out', out], { stdio: ['ignore', 'inherit', 'inherit'], timeout: 30 * 60 * 1000 });
  try {
    images = JSON.parse(readFileSync(out, 'utf8'));
  } catch {
    images = undefined;
    console.error('bench/images.mjs exited before writing results');
  }
  rmSync(out, { force: true });
}
machine.loadAvgEnd = os.loadavg();
const report = { command, machine, plan, seconds: (Date.now() - started) / 1000, finishedAt: new Date().toISOString(), results, ...(augment ? { augment } : {}), ...(images ? { images } : {}) };
writeFileSync(`${root}bench/results/latest.json`, JSON.stringify(report, null, 2) + '\n');
const md = renderMarkdown(report) + (images ? `\n\n${renderImagesMarkdown(images)}` : '');
if (!flag('no-docs')) updateDocs(`${root}docs/benchmarks.md`, md);
console.log(md);
if (augment) {
  const amd = renderAugmentMarkdown(augment, machine);
  if (!flag('no-docs')) updateAugmentDocs(`${root}docs/benchmarks.md`, amd);
  console.log(amd);
}
