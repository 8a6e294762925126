import { InvalidArgumentError } from '../errors.js';

/** Serializable state of an {@link Rng}, for checkpoints. */
export interface RngState {
  /** The 32-bit internal state word. */
  readonly state: number;
}

/**
 * Small seeded pseudo-random generator (mulberry32) used for data order and per-step seeds.
 * Its whole state is one 32-bit word, so runs can be checkpointed and resumed exactly.
 */
export class Rng {
  private s: number;

  /** Seeds the generator; the seed must be a finite integer (default 0). */
  constructor(seed = 0) {
    if (!Number.isFinite(seed) || !Number.isInteger(seed)) {
      throw new InvalidArgumentError('seed', `seed must be a finite integer, got ${String(seed)}.`);
    }
    this.s = seed >>> 0;
  }

  /** Next unsigned 32-bit integer. */
  nextUint32(): number {
    this.s = (this.s + 0x6d2b79f5) >>> 0;
    let t = this.s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return (t ^ (t >>> 14)) >>> 0;
  }

  /** Uniform float in [0, 1). */
  nextFloat(): number {
    return this.nextUint32() / 4294967296;
  }

  /** Uniform integer in [0, n). */
  nextInt(n: number): number {
    return Math.floor(this.nextFloat() * n);
  }

  /** A fresh seed for a seeded tfjs random op (fits in int32 and is never 0). */
  nextSeed(): number {
    return (this.nextUint32() % 2147483646) + 1;
  }

  /** In-place Fisher-Yates shuffle. */
  shuffle<T extends { length: number; [i: number]: unknown }>(array: T): T {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.nextInt(i + 1);
      const tmp = array[i];
      array[i] = array[j];
      array[j] = tmp;
    }
    return array;
  }

  /** Current state, to store in a checkpoint. */
  getState(): RngState {
    return { state: this.s };
  }

  /** Restores a state taken with {@link Rng.getState}. */
  setState(state: RngState): void {
    this.s = state.state >>> 0;
  }
}
