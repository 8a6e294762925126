import { describe, expect, it } from 'vitest';
import { choiceOption, defineCommand, flagOption, helpText, intOption, numberOption, parseCommand, stringOption, UsageError } from './args.js';

const spec = defineCommand({
  name: 'aigc demo',
  summary: 'A demo command.',
  usage: 'aigc demo [options]',
  positionals: ['RUN'],
  options: {
    steps: intOption('Steps', 100, { min: 1 }),
    ema: numberOption('EMA decay', 0.999, { min: 0, max: 1, exclusiveMax: true }),
    loss: choiceOption('Loss.', ['hinge', 'wgan-gp'] as const, 'hinge'),
    out: stringOption('Output.', undefined, 'DIR'),
    resume: flagOption('Resume.'),
  },
});

describe('parseCommand', () => {
  it('applies defaults and reads every kind of option, telling given flags from defaults', () => {
    const d = parseCommand(spec, []);
    expect(d.values).toEqual({ steps: 100, ema: 0.999, loss: 'hinge', out: undefined, resume: false });
    expect([...d.given]).toEqual([]);
    const p = parseCommand(spec, ['r1', '--steps', '7', '--ema=0.5', '--loss', 'wgan-gp', '--out', 'o', '--resume']);
    expect(p.values).toEqual({ steps: 7, ema: 0.5, loss: 'wgan-gp', out: 'o', resume: true });
    expect(p.positionals).toEqual(['r1']);
    expect([...p.given].sort()).toEqual(['ema', 'loss', 'out', 'resume', 'steps']);
  });

  it('rejects mistakes with one-sentence UsageErrors', () => {
    const cases: Array<[string[], RegExp]> = [
      [['--steps', 'ten'], /^--steps must be an integer, got "ten"\.$/],
      [['--steps', '0'], /^--steps must be at least 1, got 0\.$/],
      [['--ema', '1'], /^--ema must be below 1, got 1\.$/],
      [['--ema', 'x'], /^--ema must be a number/],
      [['--loss', 'minimax'], /^--loss must be one of hinge, wgan-gp, got "minimax"\.$/],
      [['--bogus'], /Unknown option '--bogus'\.$/],
      [['--out'], /--out/],
      [['a', 'b'], /unexpected argument "b"/],
    ];
    for (const [argv, message] of cases) {
      let error: unknown;
      try {
        parseCommand(spec, argv);
      } catch (e) {
        error = e;
      }
      expect(error, argv.join(' ')).toBeInstanceOf(UsageError);
      expect((error as Error).message, argv.join(' ')).toMatch(message);
      expect((error as Error).message).not.toContain('\n');
    }
  });

  it('does not validate when --help is given, and prints every option with its default', () => {
    expect(parseCommand(spec, ['--steps', 'x', '--help']).help).toBe(true);
    const help = helpText(spec);
    expect(help).toMatch(/^Usage: aigc demo \[options\]/);
    expect(help).toContain('--steps N');
    expect(help).toContain('(default 100)');
    expect(help).toContain('--loss hinge|wgan-gp');
    expect(help).toContain('-h, --help');
  });
});
