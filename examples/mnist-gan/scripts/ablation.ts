/**
 * Ablation of the standard fixes to the article's MLP GAN: trains each recipe at the same step
 * budget, batch size, seed and data, and writes a table of FID(features) with the shipped
 * extractor, classes covered, sample pixel std and steps/s.
 *
 *   npx tsx examples/mnist-gan/scripts/ablation.ts [--steps 2000] [--variants as-written,leaky,leaky+mbstd+ema]
 *       [--out out/ablation] [--seed 42] [--backend wasm] [--batch 128]
 *
 * Writes OUT/ablation.json, OUT/ablation.md and one sample grid per variant (OUT/<variant>.png),
 * updated after every variant, so a long run can be read while it goes.
 */
import { parseArgs } from 'node:util';
import * as path from 'node:path';
import { promises as fs } from 'node:fs';
import { Trainer, imageGrid, useBackend } from '@aigc/core';
import { writePng } from '@aigc/core/node';
import { evaluateRun, loadData, withAveraged } from '../src/pipeline.js';
import { buildRecipe, parseFixes, recipeName } from '../src/recipes.js';

const DEFAULT_VARIANTS = ['as-written', 'leaky', 'dropout', 'mbstd', 'sn', 'hinge', 'ttur', 'smooth', 'ema', 'r1'];

/** One row of the table. */
export interface AblationRow {
  readonly variant: string;
  readonly steps: number;
  readonly fid: number;
  readonly classesCovered: number;
  readonly samplePixelStd: number;
  readonly stepsPerSecond: number;
}

/** The table as Markdown. */
export function markdownTable(rows: readonly AblationRow[]): string {
  const lines = [
    '| recipe | steps | FID(features) ↓ | classes covered (of 10) | sample pixel std | steps/s |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...rows.map((r) => `| ${r.variant} | ${r.steps} | ${r.fid.toFixed(1)} | ${r.classesCovered} | ${r.samplePixelStd.toFixed(3)} | ${r.stepsPerSecond.toFixed(1)} |`),
  ];
  return lines.join('\n') + '\n';
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      steps: { type: 'string', default: '2000' },
      variants: { type: 'string', default: DEFAULT_VARIANTS.join(',') },
      out: { type: 'string', default: 'out/ablation' },
      seed: { type: 'string', default: '42' },
      backend: { type: 'string', default: 'wasm' },
      batch: { type: 'string', default: '128' },
      data: { type: 'string' },
    },
  });
  const steps = Number(values.steps);
  const seed = Number(values.seed);
  const batchSize = Number(values.batch);
  const out = values.out as string;
  await fs.mkdir(out, { recursive: true });
  const io = { out: process.stdout };
  const dataOptions = { downloadMnist: false, ...(values.data === undefined ? {} : { data: values.data }) };
  const { train, heldOut, description } = await loadData(dataOptions as unknown as Parameters<typeof loadData>[0], io);
  console.log(`Data: ${description}; ${train.size} train, ${heldOut.size} held out; ${steps} steps, batch ${batchSize}, seed ${seed}`);
  const adapter = await useBackend(values.backend as string);
  const rows: AblationRow[] = [];
  for (const spec of (values.variants as string).split(',')) {
    const fixes = parseFixes(spec);
    const { model, trainer: options } = buildRecipe(fixes, seed);
    const trainer = new Trainer(model, { ...options, backend: adapter, batchSize, seed });
    try {
      const t0 = performance.now();
      await trainer.fit(train, { steps });
      const seconds = (performance.now() - t0) / 1000;
      const evaluation = await withAveraged(trainer, () => evaluateRun(model, heldOut, seed));
      const fid = evaluation.report.metrics.find((m) => m.name === 'fid')?.value ?? Number.NaN;
      const coverage = evaluation.report.metrics.find((m) => m.name === 'classCoverage');
      const row: AblationRow = {
        variant: recipeName(fixes),
        steps,
        fid,
        classesCovered: Number((coverage?.details as { classesCovered?: number } | undefined)?.classesCovered ?? Number.NaN),
        samplePixelStd: evaluation.samplePixelStd,
        stepsPerSecond: steps / seconds,
      };
      rows.push(row);
      const samples = trainer.sample(64, { seed });
      try {
        await writePng(path.join(out, `${spec}.png`), imageGrid(samples, { columns: 8 }));
      } finally {
        samples.dispose();
      }
      console.log(`${row.variant}: FID ${row.fid.toFixed(1)}, ${row.classesCovered}/10 classes, pixel std ${row.samplePixelStd.toFixed(3)}, ${row.stepsPerSecond.toFixed(1)} steps/s`);
      await fs.writeFile(path.join(out, 'ablation.json'), JSON.stringify({ steps, seed, batchSize, backend: adapter.name, data: description, rows }, null, 2));
      await fs.writeFile(path.join(out, 'ablation.md'), markdownTable(rows));
    } finally {
      trainer.dispose();
      model.dispose();
    }
  }
  console.log('\n' + markdownTable(rows));
}

await main();
