import { InvalidArgumentError } from './errors.js';

/**
 * A named table of factories (losses, regularizers, samplers, objectives, augmentations, model
 * kinds), so a component stored in a checkpoint by name is rebuilt on resume. Built-ins register
 * themselves in their own files; users register theirs the same way, before resuming.
 */
export class Registry<T> {
  private readonly entries = new Map<string, T>();

  /**
   * `what` names the kind of entry in messages (`'loss'`, plural `plural`), `option` the option that
   * takes one (`'loss'`), `registerFn` the public function that registers one (`'registerLoss'`).
   */
  constructor(
    readonly what: string,
    private readonly plural: string,
    private readonly option: string,
    private readonly registerFn: string,
  ) {}

  /** Adds `entry` under `name`, replacing an earlier one of that name (so a user's own can override a built-in). */
  register(name: string, entry: T): void {
    if (typeof name !== 'string' || name.length === 0) {
      throw new InvalidArgumentError('name', `A ${this.what} needs a non-empty string name to register, got ${String(name)}.`);
    }
    this.entries.set(name, entry);
  }

  /** The entry named `name`; an unknown name throws an InvalidArgumentError listing the known ones. */
  get(name: string): T {
    const entry = this.entries.get(name);
    if (entry === undefined) {
      throw new InvalidArgumentError(
        this.option,
        `Unknown ${this.what} "${String(name)}". Built-in ${this.plural}: ${this.names().join(', ') || 'none'} (with any registered). ` +
          `Built-ins register themselves; register yours with ${this.registerFn}(name, factory) before resuming, or pass it in the ${this.option} option.`,
      );
    }
    return entry;
  }

  /** Whether `name` is registered. */
  has(name: string): boolean {
    return this.entries.has(name);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** Registered entries, most recently registered first (later registrations take precedence when matching). */
  values(): T[] {
    return [...this.entries.values()].reverse();
  }
}
