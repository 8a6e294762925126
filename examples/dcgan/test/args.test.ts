import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS, parseCliArgs, UsageError } from '../src/args.js';

describe('parseCliArgs', () => {
  it('has the documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      steps: DEFAULT_STEPS,
      batch: 64,
      backend: 'wasm',
      seed: 42,
      out: 'out/dcgan',
      loss: 'hinge',
      recipe: 'fast',
      filters: 64,
      emaDecay: 0.99,
      checkpointEvery: 50,
      sampleEvery: 100,
      evalSamples: 1000,
      resume: false,
      help: false,
    });
  });

  it('reads every flag', () => {
    const o = parseCliArgs(['--data', 'd', '--steps', '7', '--batch', '8', '--backend', 'cpu', '--seed', '3', '--out', 'o', '--loss', 'wgan-gp', '--filters', '4', '--limit', '100', '--ema-decay', '0.5', '--checkpoint-every', '2', '--sample-every', '0', '--resume']);
    expect(o).toMatchObject({ data: 'd', steps: 7, batch: 8, backend: 'cpu', seed: 3, out: 'o', loss: 'wgan-gp', filters: 4, limit: 100, emaDecay: 0.5, checkpointEvery: 2, sampleEvery: 0, resume: true });
    expect(parseCliArgs(['--help']).help).toBe(true);
  });

  it('rejects bad flags with UsageError', () => {
    for (const argv of [['--steps', '0'], ['--steps', 'x'], ['--loss', 'minimax'], ['--ema-decay', '1'], ['--nope'], ['--batch', '-2']]) {
      expect(() => parseCliArgs(argv)).toThrow(UsageError);
    }
  });
});
