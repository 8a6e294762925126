// The DiffAugment overhead table (bench/augment.mjs results) in docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:augment:start -->';
const END = '<!-- bench:augment:end -->';

const pct = (x) => (x === undefined ? '–' : `${(100 * x).toFixed(1)}%`);

/** Markdown for one bench/augment.mjs result. */
export function renderAugmentMarkdown(r, machine) {
  if (!r?.available) return `DCGAN with DiffAugment: not measured (${r?.error ?? 'no result'}).`;
  const rows = r.rows.map(
    (x) =>
      `| DCGAN ${x.resolution}x${x.resolution}x${x.channels ?? 3} | ${r.batch} | ${x.stepsPerSec.none.toFixed(3)} | ${x.stepsPerSec.diffaugment.toFixed(3)} | ${(100 * x.overhead).toFixed(1)}% | ${x.diffAugmentCallMs.toFixed(1)} ms | ${pct(x.fractionOfMatmul?.none)} | ${pct(x.fractionOfMatmul?.diffaugment)} | ${x.matmulGflops?.toFixed(1) ?? '–'} |`,
  );
  return [
    `DCGAN (\`dcgan({ resolution, channels })\`, 64 filters) Trainer steps/s on \`${r.backend}\`, without and with`,
    `\`diffAugment(['color', 'translation', 'cutout'])\`, median of interleaved windows (${r.rows.map((x) => `${x.rounds} at ${x.resolution}`).join(', ')});`,
    `"one call" is one DiffAugment forward + input gradient on a batch (a step makes several).`,
    `"% of matmul" is the step's matmul/conv FLOPs (bench/lib/models.mjs; DiffAugment adds none) times steps/s over the 1024x1024 matmul rate sampled in the same windows.`,
    ...(r.threads ? [`wasm threads: ${r.threads}.`] : []),
    machine ? `Machine: ${machine.cores} cores, load average at start ${machine.loadAvgStart?.map((v) => v.toFixed(1)).join(' / ')}.` : '',
    '',
    '| model | batch | steps/s | steps/s with DiffAugment | overhead (target < 15%) | one call | % of matmul | % of matmul with DiffAugment | matmul GFLOP/s (same windows) |',
    '| --- | --- | --- | --- | --- | --- | --- | --- | --- |',
    ...rows,
  ].join('\n');
}

/** Replaces the augmentation block of `path` (appends one when missing). */
export function updateAugmentDocs(path, md) {
  const block = `${START}\n${md}\n${END}`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : '# Benchmarks\n';
  if (!text.includes(START)) text += `\n## DCGAN in colour, with and without DiffAugment\n\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END, a);
  writeFileSync(path, text.slice(0, a) + block + text.slice(b + END.length));
}
