/** `aigc info RUN`: what a run is (model, data, steps) and where it stands (last metrics, files). */
import { existsSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { CHECKPOINT_MANIFEST } from '@aigc/core/node';
import { defineCommand, flagOption, helpText, parseCommand, UsageError } from '../args.js';
import { say, type CliCommand, type CliIo } from '../io.js';
import { readRunConfig } from '../run/config.js';
import { runPaths } from '../run/layout.js';
import { readRunMetrics } from '../run/metrics.js';

const spec = defineCommand({
  name: 'aigc info',
  summary: 'Says what a run folder holds: its model and data, the steps trained, the last metrics and its files.',
  usage: 'aigc info RUN [--json]',
  positionals: ['RUN'],
  options: { json: flagOption('Print one JSON object instead of text.') },
});

/** The facts `aigc info` prints, as an object. */
export function runInfo(dir: string): Record<string, unknown> {
  const config = readRunConfig(dir);
  const paths = runPaths(dir);
  const { steps, fid } = readRunMetrics(paths.metrics);
  let checkpointStep: number | undefined;
  try {
    const manifest = JSON.parse(readFileSync(path.join(paths.checkpoint, CHECKPOINT_MANIFEST), 'utf8')) as { globalStep?: number; state?: { globalStep?: number } };
    checkpointStep = manifest.globalStep ?? manifest.state?.globalStep;
  } catch {
    checkpointStep = undefined;
  }
  const last = steps.at(-1);
  return {
    run: path.resolve(dir),
    model: `${config.model} ${config.size}x${config.size}x${config.channels}${config.conditional ? ` conditional on ${config.data.classNames?.length ?? '?'} classes` : ''}`,
    loss: config.loss,
    aug: config.aug,
    data: `${config.data.images} images from ${config.data.dir}`,
    steps: { logged: last?.step ?? 0, target: config.steps, checkpoint: checkpointStep ?? null },
    last: last ?? null,
    lastFid: fid.at(-1) ?? null,
    files: {
      generator: existsSync(path.join(paths.generator, 'model.json')),
      checkpoint: existsSync(path.join(paths.checkpoint, CHECKPOINT_MANIFEST)),
      report: existsSync(paths.report),
    },
    config,
  };
}

async function info(argv: readonly string[], io: CliIo): Promise<number> {
  const { values, positionals, help } = parseCommand(spec, argv);
  if (help) {
    io.stdout.write(helpText(spec));
    return 0;
  }
  const dir = positionals[0];
  if (dir === undefined) throw new UsageError('give the run folder: aigc info RUN.');
  const facts = runInfo(dir);
  if (values.json) {
    say(io.stdout, JSON.stringify(facts, null, 2));
    return 0;
  }
  const s = facts.steps as { logged: number; target: number; checkpoint: number | null };
  const last = facts.last as Record<string, number> | null;
  const files = facts.files as Record<string, boolean>;
  const f = (x: unknown) => (typeof x === 'number' ? x.toFixed(3) : '-');
  say(io.stdout, `run      ${String(facts.run)}`);
  say(io.stdout, `model    ${String(facts.model)}, ${String(facts.loss)} loss, aug ${String(facts.aug)}`);
  say(io.stdout, `data     ${String(facts.data)}`);
  say(io.stdout, `steps    ${s.logged} of ${s.target}${s.checkpoint === null ? ', no checkpoint' : `, checkpoint at ${s.checkpoint}`}`);
  if (last) say(io.stdout, `last     D ${f(last.dLoss)}  G ${f(last.gLoss)}  D(x) ${f(last.dReal)}  D(G(z)) ${f(last.dFake)}  acc ${f(last.dAccuracy)}`);
  const lastFid = facts.lastFid as { step: number; fid: number } | null;
  if (lastFid) say(io.stdout, `FID      ${lastFid.fid.toFixed(2)} at step ${lastFid.step}`);
  say(io.stdout, `files    ${Object.entries(files).map(([k, ok]) => `${k} ${ok ? 'yes' : 'no'}`).join(', ')}`);
  return 0;
}

/** The `info` command. */
export const infoCommand: CliCommand = { name: 'info', summary: 'Describe a run folder.', run: info };
