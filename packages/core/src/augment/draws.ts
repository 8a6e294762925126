import { Rng } from '../random/rng.js';

/**
 * Per-image random parameters, drawn on the CPU from an {@link Rng} seeded by the call's seed, so
 * an augmentation gives the same result on every backend (tfjs' seeded random ops differ between
 * backends).
 */
export class Draws {
  private readonly rng: Rng;

  /** Seeds the stream from an augmentation call's `ctx.seed`. */
  constructor(seed: number) {
    this.rng = new Rng(Math.trunc(seed) | 0);
  }

  /** Uniform in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.rng.nextFloat();
  }

  /** Uniform integer in [lo, hi] (both ends included). */
  int(lo: number, hi: number): number {
    return lo + this.rng.nextInt(hi - lo + 1);
  }

  /** True with probability `p`. */
  chance(p: number): boolean {
    return this.rng.nextFloat() < p;
  }

  /** Standard normal (Box-Muller). */
  normal(): number {
    const u = 1 - this.rng.nextFloat();
    const v = this.rng.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** exp(N(0, std²)). */
  logNormal(std: number): number {
    return Math.exp(this.normal() * std);
  }
}
