import type { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';

/** How a wrong value reads in a message: strings quoted and named as strings, so `'64'` does not look like 64. */
export function describeValue(value: unknown): string {
  if (typeof value === 'string') return `the string ${JSON.stringify(value)}`;
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  return String(value);
}

/** `value` when it is an integer > 0 (`min` 1) or >= `min`; an InvalidArgumentError naming `name` otherwise. */
export function integerAtLeast(name: string, value: unknown, min: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min) {
    const what = min === 1 ? 'a positive integer' : `an integer >= ${min}`;
    throw new InvalidArgumentError(name, `${name} must be ${what}, got ${describeValue(value)}.`);
  }
  return value;
}

/** `value` when it is an integer > 0. */
export function positiveInt(name: string, value: unknown): number {
  return integerAtLeast(name, value, 1);
}

/** `value` when it is a finite number >= `min` (or > `min` when `exclusive`). */
export function finiteAtLeast(name: string, value: unknown, min: number, exclusive = false): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < min || (exclusive && value === min)) {
    throw new InvalidArgumentError(name, `${name} must be a finite number ${exclusive ? '>' : '>='} ${min}, got ${describeValue(value)}.`);
  }
  return value;
}

/** `value` when it is a boolean (a string such as `'false'` from a config file is refused, not read as true). */
export function bool(name: string, value: unknown): boolean {
  if (typeof value !== 'boolean') throw new InvalidArgumentError(name, `${name} must be true or false, got ${describeValue(value)}.`);
  return value;
}

/** `value` when it is a plain object (or undefined: then `{}`). */
export function record<T extends object>(name: string, value: T | null | undefined, example: string): T {
  if (value === undefined) return {} as T;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new InvalidArgumentError(name, `${name} must be an object such as ${example}, got ${describeValue(value)}.`);
  }
  return value;
}

/** Rejects an optimizer whose learning rate (when it exposes one) is negative or not finite; 0 freezes a network. */
export function checkOptimizer(name: string, optimizer: tf.Optimizer): tf.Optimizer {
  if (!optimizer || typeof (optimizer as Partial<tf.Optimizer>).minimize !== 'function') {
    throw new InvalidArgumentError(name, `${name} must be a tfjs optimizer such as tf.train.adam(2e-4, 0.5).`);
  }
  const lr = (optimizer as unknown as { learningRate?: unknown }).learningRate;
  if (typeof lr === 'number' && !(lr >= 0 && Number.isFinite(lr))) {
    throw new InvalidArgumentError(name, `The ${name} learning rate is ${lr}; pass a finite learning rate >= 0 such as 2e-4.`);
  }
  return optimizer;
}
