/**
 * Measures the fast recipe against the classic one at equal batch size: classic to 2 x STEPS
 * (scored at STEPS and 2 x STEPS), fast to STEPS, each scored by FID(features) with the shipped
 * extractor on EVAL generated vs EVAL held-out test images. docs/metrics.md reports
 * `--steps 1000` (the defaults below); the slow suite runs a reduced budget.
 *
 *   npx tsx examples/dcgan/scripts/recipe-budget.ts [--steps 1000] [--eval 10000] [--filters 64]
 *       [--batch 64] [--seed 42] [--backend wasm] [--data DIR] [--out out/recipe-budget]
 *
 * Writes OUT/recipe-budget.json and OUT/recipe-budget.md.
 */
import { promises as fs } from 'node:fs';
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { budgetTable, compareRecipesAtBudget } from '../src/budget.js';

const { values } = parseArgs({
  options: {
    steps: { type: 'string', default: '1000' },
    eval: { type: 'string', default: '10000' },
    filters: { type: 'string', default: '64' },
    batch: { type: 'string', default: '64' },
    seed: { type: 'string', default: '42' },
    backend: { type: 'string', default: 'wasm' },
    data: { type: 'string' },
    out: { type: 'string', default: 'out/recipe-budget' },
  },
});

const result = await compareRecipesAtBudget({
  steps: Number(values.steps),
  evalSamples: Number(values.eval),
  filters: Number(values.filters),
  batch: Number(values.batch),
  seed: Number(values.seed),
  backend: values.backend,
  out: values.out,
  ...(values.data === undefined ? {} : { data: values.data }),
  log: (line) => {
    if (!line.includes('] step ') || /\] step \d*00\//.test(line)) console.log(line); // every 100th step line
  },
});
await fs.mkdir(values.out, { recursive: true });
await fs.writeFile(path.join(values.out, 'recipe-budget.json'), JSON.stringify(result, null, 2));
await fs.writeFile(path.join(values.out, 'recipe-budget.md'), budgetTable(result));
console.log(budgetTable(result));
