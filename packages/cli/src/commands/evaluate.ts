/** `aigc evaluate`: the library's evaluator (`aigc-evaluate` of @aigc/core), with `--from RUN` for a run's generator. */
import { runEvaluateCli } from '@aigc/core/node';
import { UsageError } from '../args.js';
import { say, type CliCommand, type CliIo } from '../io.js';
import { runPaths } from '../run/layout.js';

const rename = (text: string) => text.replaceAll('aigc-evaluate', 'aigc evaluate');

/** `--from RUN` becomes `--generator RUN/generator`; everything else goes to the evaluator as is. */
export function evaluateArgs(argv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i] as string;
    if (a === '--from' || a.startsWith('--from=')) {
      const run = a === '--from' ? argv[++i] : a.slice('--from='.length);
      if (run === undefined || run === '') throw new UsageError('--from needs a run folder.');
      out.push('--generator', runPaths(run).generator);
    } else out.push(a);
  }
  return out;
}

async function run(argv: readonly string[], io: CliIo): Promise<number> {
  const errors: string[] = [];
  const code = await runEvaluateCli(evaluateArgs(argv), {
    out: (line) => say(io.stdout, rename(line).replace('(--images PATH | --generator DIR)', '(--images PATH | --generator DIR | --from RUN)')),
    err: (line) => errors.push(rename(line)),
  });
  if (code === 2) {
    // The evaluator prints its usage after a mistake; say the mistake only, in the CLI's one-line form.
    const first = (errors[0] ?? '').split('\n')[0] ?? '';
    throw new UsageError(first.replace(/^aigc evaluate: /, ''));
  }
  for (const e of errors) say(io.stderr, e.replace(/^aigc evaluate: /, 'Error: '));
  return code;
}

/** The `evaluate` command. */
export const evaluateCommand: CliCommand = {
  name: 'evaluate',
  summary: 'Score generated images or a run\'s generator (FID, KID, precision/recall, ...).',
  run,
};
