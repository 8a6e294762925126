import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { budgetTable, compareRecipesAtBudget } from '../src/budget.js';

/**
 * Reduced budget of docs/metrics.md's recipe comparison (there: 64 filters, 1,000 and 2,000 steps,
 * 10,000 images scored), on the full Fashion-MNIST train set with held-out test images: at STEPS
 * the fast recipe must clearly beat the classic one, and beat the classic one at twice STEPS (at
 * the full budget: 31.4 against 33.3). At 32 filters this holds at 400 steps but not at 200 or 600
 * (docs/metrics.md has all three), so this is a regression guard, not the bar itself.
 */
const STEPS = 400;
const FASHION = '/usr/share/datasets/fashion-mnist';
const out = mkdtempSync(join(tmpdir(), 'aigc-dcgan-budget-'));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe('DCGAN fast recipe (wasm, full Fashion-MNIST)', () => {
  const missing = !existsSync(join(FASHION, 'train-images-idx3-ubyte.gz'));
  if (missing) console.log(`skipped: needs Debian's dataset-fashion-mnist in ${FASHION} (apt-get install dataset-fashion-mnist), for a held-out test split`);
  it.skipIf(missing)(`scores at ${STEPS} steps a better FID than the classic recipe at ${STEPS} and at ${2 * STEPS}`, async () => {
    const r = await compareRecipesAtBudget({ steps: STEPS, out, filters: 32, evalSamples: 2000, data: FASHION });
    console.log(budgetTable(r));
    // Measured (filters 32, seed 42, 2,000 images scored): fast 71.2 at 400 steps (10/10 classes); classic 89.9 at 400, 79.8 at 800.
    expect(r.fastAtBudget.fid).toBeLessThan(0.85 * r.classicAtBudget.fid);
    expect(r.fastAtBudget.fid).toBeLessThan(r.classicAtTwice.fid);
    expect(r.fastAtBudget.classesCovered).toBeGreaterThanOrEqual(8);
  }, 1_800_000);
});
