import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS, parseCliArgs, UsageError } from '../src/args.js';

describe('parseCliArgs', () => {
  it('has the documented defaults', () => {
    expect(parseCliArgs([])).toEqual({
      steps: DEFAULT_STEPS,
      batch: 128,
      model: 'mlp',
      likelihood: 'bernoulli',
      beta: 1,
      klWarmup: 0,
      learningRate: 1e-3,
      backend: 'wasm',
      seed: 42,
      evalSamples: 1000,
      out: 'out/vae',
      help: false,
    });
  });

  it('reads every flag', () => {
    const o = parseCliArgs(['--data', '/d', '--limit', '10', '--steps', '5', '--batch', '4', '--model', 'conv', '--latent', '8', '--likelihood', 'gaussian', '--beta', '0.5', '--kl-warmup', '100', '--lr', '2e-3', '--backend', 'cpu', '--seed', '0', '--eval', '0', '--out', '/o', '-h']);
    expect(o).toEqual({ data: '/d', limit: 10, steps: 5, batch: 4, model: 'conv', latent: 8, likelihood: 'gaussian', beta: 0.5, klWarmup: 100, learningRate: 2e-3, backend: 'cpu', seed: 0, evalSamples: 0, out: '/o', help: true });
  });

  it('rejects mistakes with a UsageError naming the flag', () => {
    expect(() => parseCliArgs(['--steps', '0'])).toThrow(/--steps must be an integer >= 1, got "0"/);
    expect(() => parseCliArgs(['--steps', '1.5'])).toThrow(UsageError);
    expect(() => parseCliArgs(['--beta=-1'])).toThrow(/--beta must be a number >= 0/);
    expect(() => parseCliArgs(['--lr', 'x'])).toThrow(/--lr/);
    expect(() => parseCliArgs(['--model', 'gan'])).toThrow(/--model must be one of mlp, conv/);
    expect(() => parseCliArgs(['--likelihood', 'poisson'])).toThrow(/bernoulli, gaussian/);
    expect(() => parseCliArgs(['--frobnicate'])).toThrow(UsageError);
    expect(() => parseCliArgs(['extra'])).toThrow(UsageError);
  });
});
