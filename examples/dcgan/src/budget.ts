/**
 * The step-budget comparison of the two recipes: `classic` trained to twice the budget (scored at
 * the budget and at twice it, through an exact resume) and `fast` trained to the budget, same data,
 * batch size, seed and scoring. `docs/metrics.md` reports the full-budget run; the slow suite keeps
 * a reduced one.
 */
import * as path from 'node:path';
import type { EvaluationReport } from '@aigc/core';
import { parseCliArgs } from './args.js';
import type { DcganRecipe } from './recipes.js';
import { runDcgan } from './train.js';

/** Settings of a comparison. */
export interface BudgetOptions {
  /** The fast recipe's step budget; the classic one trains to twice it. */
  readonly steps: number;
  /** Output folder; each run writes into a subfolder named after its recipe. */
  readonly out: string;
  /** Generated (and held-out real) images scored per evaluation. Default 10,000. */
  readonly evalSamples?: number;
  /** Base filter count of both networks. Default 64 (the example's default). */
  readonly filters?: number;
  /** Batch size. Default 64 (the example's default). */
  readonly batch?: number;
  /** Seed. Default 42 (the example's default). */
  readonly seed?: number;
  /** Backend. Default `wasm`. */
  readonly backend?: string;
  /** IDX data folder. Default: the example's (the system Fashion-MNIST when installed). */
  readonly data?: string;
  /** Progress lines. Default: none. */
  readonly log?: (line: string) => void;
}

/** One scored checkpoint. */
export interface BudgetPoint {
  readonly recipe: DcganRecipe;
  readonly steps: number;
  readonly fid: number;
  readonly classesCovered: number;
  /** Wall-clock seconds of training to this point (this machine's load included). */
  readonly trainSeconds: number;
}

/** The three scored checkpoints: classic at the budget and at twice it, fast at the budget. */
export interface BudgetResult {
  readonly classicAtBudget: BudgetPoint;
  readonly classicAtTwice: BudgetPoint;
  readonly fastAtBudget: BudgetPoint;
}

const metric = (r: EvaluationReport | undefined, name: string) => {
  const m = r?.metrics.find((x) => x.name === name);
  if (m === undefined) throw new Error(`the evaluation has no ${name}; is --eval 0?`);
  return m;
};

/** Trains and scores both recipes (see the module comment). */
export async function compareRecipesAtBudget(o: BudgetOptions): Promise<BudgetResult> {
  const log = o.log ?? (() => undefined);
  let seconds = 0;
  const run = async (recipe: DcganRecipe, steps: number, resume: boolean): Promise<BudgetPoint> => {
    const argv = [
      '--recipe', recipe, '--steps', String(steps), '--eval', String(o.evalSamples ?? 10_000),
      '--filters', String(o.filters ?? 64), '--batch', String(o.batch ?? 64), '--seed', String(o.seed ?? 42),
      '--backend', o.backend ?? 'wasm', '--out', path.join(o.out, recipe), '--sample-every', '0', '--checkpoint-every', String(steps),
      ...(o.data === undefined ? [] : ['--data', o.data]),
      ...(resume ? ['--resume'] : []),
    ];
    const r = await runDcgan(parseCliArgs(argv), (line) => log(`[${recipe}] ${line}`));
    // A resumed run adds its training time to that of the run it continues.
    seconds = (resume ? seconds : 0) + r.trainSeconds;
    const fid = metric(r.evaluation, 'fid').value;
    const classesCovered = Number((metric(r.evaluation, 'classCoverage').details as { classesCovered: number }).classesCovered);
    return { recipe, steps: r.globalStep, fid, classesCovered, trainSeconds: seconds };
  };
  const fastAtBudget = await run('fast', o.steps, false);
  const classicAtBudget = await run('classic', o.steps, false);
  const classicAtTwice = await run('classic', 2 * o.steps, true);
  return { classicAtBudget, classicAtTwice, fastAtBudget };
}

/** The result as a Markdown table. */
export function budgetTable(r: BudgetResult): string {
  const row = (p: BudgetPoint) => `| ${p.recipe} | ${p.steps} | ${p.fid.toFixed(1)} | ${p.classesCovered}/10 | ${(p.trainSeconds / 60).toFixed(1)} |`;
  return [
    '| recipe | steps | FID(features) ↓ | classes covered | training minutes (this run) |',
    '| --- | ---: | ---: | ---: | ---: |',
    row(r.classicAtBudget),
    row(r.classicAtTwice),
    row(r.fastAtBudget),
  ].join('\n') + '\n';
}
