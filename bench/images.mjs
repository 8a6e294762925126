// Folder-loading benchmark: decodes + resizes a synthetic folder of JPEGs and one of PNGs to
// 64x64x3 with loadImageFolder, then reloads each from the cache. Runs alone
// (`npm run build -w @aigc/core && node bench/images.mjs --count 2000`) or from `npm run bench`.
// Then the memory row: a child process loads --rss-count (60,000) synthetic 64x64 JPEGs with
// loadImageFolder (uint8, no cache) and trains the 64x64x3 DCGAN on them for --rss-steps steps;
// its peak RSS is reported (issue 12: the 60,000-image 64x64 RGB case).
// Targets (issue 12): 10,000 256x256 JPEGs to 64x64 in under 30 s on 2 cores, cached reload under 2 s.
// Options: --count 10000 (images per format)  --source 256 (source side)  --size 64  --formats jpeg,png
//          --out file.json (write results)  --concurrency N (default: the loader's)
//          --rss-count 60000 (0 skips the memory row)  --rss-steps 2 (DCGAN steps at batch 64 on wasm)
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { loadImageFolder } from '../packages/core/dist/node.js';
import { renderImagesMarkdown } from './lib/images-report.mjs';

const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 && argv[i + 1] !== undefined ? argv[i + 1] : dflt;
};
const count = Number(opt('count', '10000'));
const source = Number(opt('source', '256'));
const size = Number(opt('size', '64'));
const formats = opt('formats', 'jpeg,png').split(',');
const concurrency = opt('concurrency', undefined);
const out = opt('out', undefined);
const rssCount = Number(opt('rss-count', '60000'));
const rssSteps = Number(opt('rss-steps', '2'));
const rssChild = opt('rss-child', undefined);

if (rssChild !== undefined) {
  // Child: load the folder, then train; report peak RSS after each phase (MB) on stdout.
  const { dcgan, Trainer } = await import('../packages/core/dist/index.js');
  const mb = () => process.resourceUsage().maxRSS / 1024;
  const t0 = performance.now();
  const data = await loadImageFolder(rssChild, { size: 64, channels: 3, cache: false });
  const loadSeconds = (performance.now() - t0) / 1000;
  const afterLoad = mb();
  const gan = dcgan({ resolution: 64, channels: 3, seed: 1 });
  const trainer = new Trainer(gan, { backend: 'wasm', batchSize: 64, seed: 1 });
  const t1 = performance.now();
  await trainer.fit(data, { steps: rssSteps });
  const trainSeconds = (performance.now() - t1) / 1000;
  console.log(JSON.stringify({ loaded: data.size, uint8MB: data.byteLength / 1e6, loadSeconds, trainSeconds, steps: rssSteps, peakRssAfterLoadMB: afterLoad, peakRssMB: mb() }));
  trainer.dispose();
  gan.dispose();
  process.exit(0);
}

/** A deterministic smooth colour image with some texture, so codecs do real work. */
function pixels(i, source) {
  const data = Buffer.alloc(source * source * 3);
  const a = (i * 37) % 255;
  const b = (i * 91) % 255;
  for (let y = 0; y < source; y++)
    for (let x = 0; x < source; x++) {
      const o = (y * source + x) * 3;
      const t = ((x * 131 + y * 71 + i * 17) % 23) * 3;
      data[o] = (x + a + t) & 255;
      data[o + 1] = (y + b) & 255;
      data[o + 2] = ((x ^ y) + t) & 255;
    }
  // The pattern above repeats every 5,865 images; stamp i's bytes into the top-left 8x8 block so no
  // two files are equal (the loader skips exact duplicates before decoding them).
  for (let y = 0; y < 8; y++)
    for (let x = 0; x < 8; x++) data.set([i & 255, (i >> 8) & 255, (i >> 16) & 255], (y * source + x) * 3);
  return data;
}

async function writeFolder(dir, format, count, source) {
  const began = Date.now();
  const raw = { raw: { width: source, height: source, channels: 3 } };
  for (let p = 0; p * 1000 < count; p++) mkdirSync(join(dir, `part-${String(p).padStart(2, '0')}`), { recursive: true });
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const img = sharp(pixels(i, source), raw);
      const sub = join(dir, `part-${String(Math.floor(i / 1000)).padStart(2, '0')}`);
      const file = join(sub, `img-${String(i).padStart(6, '0')}.${format === 'jpeg' ? 'jpg' : 'png'}`);
      await (format === 'jpeg' ? img.jpeg({ quality: 90 }) : img.png()).toFile(file);
    }
  };
  await Promise.all(Array.from({ length: 4 }, worker));
  return (Date.now() - began) / 1000;
}

const tmp = mkdtempSync(join(os.tmpdir(), 'aigc-bench-images-'));
const rows = [];
let memory;
const loadAvgStart = os.loadavg();
try {
  for (const format of formats) {
    const dir = join(tmp, format);
    const cache = join(tmp, `cache-${format}`);
    console.error(`[images] writing ${count} ${source}x${source} ${format} files...`);
    const writeSeconds = await writeFolder(dir, format, count, source);
    const options = { size, channels: 3, cache, ...(concurrency ? { concurrency: Number(concurrency) } : {}) };
    const t0 = performance.now();
    const cold = await loadImageFolder(dir, options);
    const coldSeconds = (performance.now() - t0) / 1000;
    const t1 = performance.now();
    const warm = await loadImageFolder(dir, options);
    const warmSeconds = (performance.now() - t1) / 1000;
    if (warm.report.cache !== 'hit' || warm.size !== cold.size) throw new Error(`cached reload was ${warm.report.cache}`);
    if (cold.size !== count) throw new Error(`loaded ${cold.size} of ${count} files (${cold.report.skipped.length} skipped, e.g. ${JSON.stringify(cold.report.skipped[0])}): the bench must decode every file`);
    const row = {
      format,
      count,
      source: `${source}x${source}`,
      size: `${size}x${size}x3`,
      loaded: cold.size,
      coldSeconds,
      imagesPerSecond: cold.size / coldSeconds,
      cachedSeconds: warmSeconds,
      megabytes: cold.byteLength / 1e6,
      writeSeconds,
    };
    console.error(`[images] ${format}: ${row.imagesPerSecond.toFixed(0)} images/s (${coldSeconds.toFixed(2)} s), cached reload ${warmSeconds.toFixed(3)} s`);
    rows.push(row);
  }
  if (rssCount > 0) {
    const dir = join(tmp, 'rss');
    console.error(`[images] memory row: writing ${rssCount} 64x64 jpeg files...`);
    await writeFolder(dir, 'jpeg', rssCount, 64);
    console.error(`[images] memory row: loading them and training the 64x64x3 DCGAN for ${rssSteps} steps in a child process...`);
    const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), '--rss-child', dir, '--rss-steps', String(rssSteps)], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 20 });
    const line = child.stdout.trim().split('\n').pop();
    if (child.status !== 0 || !line) throw new Error(`the memory-row child exited with ${child.status}`);
    memory = { count: rssCount, ...JSON.parse(line) };
    if (memory.loaded !== rssCount) throw new Error(`the memory row loaded ${memory.loaded} of ${rssCount} files`);
    console.error(`[images] memory row: peak RSS ${memory.peakRssAfterLoadMB.toFixed(0)} MB after loading, ${memory.peakRssMB.toFixed(0)} MB after ${rssSteps} steps`);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
}
const result = {
  cores: os.cpus().length,
  cpu: os.cpus()[0]?.model ?? 'unknown',
  node: process.version,
  sharp: sharp.versions.sharp,
  vips: sharp.versions.vips,
  loadAvgStart,
  loadAvgEnd: os.loadavg(),
  peakRssMB: process.resourceUsage().maxRSS / 1024,
  rows,
  ...(memory ? { memory } : {}),
};
if (out) writeFileSync(out, JSON.stringify(result, null, 2) + '\n');
console.log(renderImagesMarkdown(result));
