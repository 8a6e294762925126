import { tf } from '../tf.js';
import { InvalidArgumentError } from '../errors.js';
import { defaultBackend, useBackend, type ModuleImporter } from '../backends/registry.js';
import type { BackendInfo, BackendSpec } from '../backends/types.js';

/**
 * A trainer's backend: set (globally, as tfjs has one backend per process) on first use, then
 * checked before every use, so a second Trainer or `useBackend` switching it is an error, not a
 * silent change of where this trainer's tensors live.
 */
export class BackendHold {
  /** The adapter name, once set. */
  name: string | undefined;
  /** What the adapter reports about the loaded backend (threads and why), once set. */
  info: BackendInfo | undefined;
  private tfName: string | undefined;

  constructor(
    private readonly spec: BackendSpec | undefined,
    private readonly importModule: ModuleImporter | undefined,
  ) {}

  /** Sets the backend the first time; later, throws when the global backend is no longer this trainer's. */
  async ready(): Promise<string> {
    if (this.name === undefined) {
      const adapter = await useBackend(this.spec ?? defaultBackend(), this.importModule === undefined ? {} : { importModule: this.importModule });
      this.name = adapter.name;
      this.info = { ...adapter.info?.(), name: adapter.name };
      this.tfName = tf.getBackend();
    } else if (tf.getBackend() !== this.tfName) {
      throw new InvalidArgumentError(
        'backend',
        `This trainer trains on ${this.name}, but the tfjs backend is now ${tf.getBackend()} (another Trainer, useBackend or tf.setBackend switched it; tfjs has one backend per process). ` +
          `Use one backend per process, or switch back explicitly with await useBackend('${this.name}') before using this trainer again.`,
      );
    }
    return this.name;
  }
}
