/**
 * A `Worker` for Emscripten's pthreads in Node. tfjs-backend-wasm's threaded build runs its
 * Emscripten code in Node mode (it uses the `worker_threads` API: `on('message')`, `ref()`,
 * `unref()`), but creates each worker from a `blob:` URL and posts the main script as a `Blob`,
 * which `worker_threads.Worker` cannot load. {@link PthreadWorker} is a `worker_threads.Worker`
 * that accepts those: it boots from {@link WORKER_BOOTSTRAP} and ships the scripts as text.
 */
import type { Worker as NodeWorker, TransferListItem } from 'node:worker_threads';
import type { NodeBuiltins } from './node-builtins.js';
import { INLINE_SCRIPT_PREFIX, SOURCE_MESSAGE_KEY, WORKER_BOOTSTRAP } from './worker-source.js';

/** The constructor Emscripten calls as `new Worker(url)`. */
export type PthreadWorkerClass = new (url: string | URL) => NodeWorker;

/** Texts of Blobs, read once each (the same script Blob is posted to every worker). */
const blobTexts = new WeakMap<Blob, Promise<string>>();

function textOf(blob: Blob): Promise<string> {
  let text = blobTexts.get(blob);
  if (!text) {
    text = blob.text();
    blobTexts.set(blob, text);
  }
  return text;
}

interface LoadMessage {
  readonly cmd: 'load';
  readonly urlOrBlob: Blob;
}

function isBlobLoad(message: unknown): message is LoadMessage {
  const m = message as Partial<LoadMessage> | null;
  return typeof m === 'object' && m !== null && m.cmd === 'load' && typeof Blob !== 'undefined' && m.urlOrBlob instanceof Blob;
}

/**
 * Builds the worker class over Node's `worker_threads.Worker`.
 *
 * - The constructor resolves the `blob:` URL (`buffer.resolveObjectURL`), starts the bootstrap
 *   and sends the script's text as the first message once read.
 * - `postMessage` replaces a `load` command's main-script `Blob` by its text (behind
 *   {@link INLINE_SCRIPT_PREFIX}). Messages wait in order while a text is being read; otherwise
 *   they go out synchronously, which matters: the main thread may block in `Atomics.wait` for a
 *   pthread right after posting its `run` command.
 * - `ref()` does nothing, so XNNPACK's idle pool threads never keep the process alive (workers
 *   are still referenced until they have loaded, so start-up is awaited).
 */
export function createPthreadWorkerClass(node: NodeBuiltins): PthreadWorkerClass {
  const Base = node.workerThreads.Worker;
  const resolveObjectURL = node.buffer.resolveObjectURL;

  class PthreadWorker extends Base {
    /** Pending sends; null when messages can go out synchronously. */
    private pending: Promise<void> | null;

    constructor(url: string | URL) {
      super(WORKER_BOOTSTRAP, { eval: true });
      const href = String(url);
      const blob = href.startsWith('blob:') ? resolveObjectURL(href) : undefined;
      if (!blob) {
        throw new TypeError(`aigc wasm threads: expected the pthread script as a blob: URL, got ${href}.`);
      }
      this.pending = null;
      this.enqueue(async () => ({ [SOURCE_MESSAGE_KEY]: await textOf(blob as unknown as Blob) }), undefined);
    }

    override postMessage(message: unknown, transfer?: readonly TransferListItem[]): void {
      if (isBlobLoad(message)) {
        const blob = message.urlOrBlob;
        this.enqueue(async () => ({ ...message, urlOrBlob: INLINE_SCRIPT_PREFIX + (await textOf(blob)) }), transfer);
      } else if (this.pending) {
        this.enqueue(async () => message, transfer);
      } else {
        super.postMessage(message, transfer);
      }
    }

    override ref(): void {
      // Deliberately empty: see the class comment.
    }

    private enqueue(make: () => Promise<unknown>, transfer: readonly TransferListItem[] | undefined): void {
      const send = async (): Promise<void> => {
        const message = await make();
        super.postMessage(message, transfer);
      };
      const next: Promise<void> = (this.pending ?? Promise.resolve()).then(send).catch((error: unknown) => {
        this.emit('error', error);
      });
      this.pending = next;
      void next.then(() => {
        if (this.pending === next) this.pending = null;
      });
    }
  }
  return PthreadWorker;
}

const INSTALLED = Symbol.for('aigc.wasm.pthreadWorker');

/**
 * Makes `globalThis.Worker` the pthread worker class, for good: Emscripten assigns
 * `globalThis.Worker = worker_threads.Worker` when its factory runs and reads the global each
 * time it creates a worker, so the property is an accessor whose setter ignores writes.
 * Idempotent. Node itself has no global `Worker`.
 */
export function installPthreadWorker(node: NodeBuiltins): PthreadWorkerClass {
  const g = globalThis as Record<string | symbol, unknown>;
  const existing = g[INSTALLED] as PthreadWorkerClass | undefined;
  if (existing) return existing;
  const cls = createPthreadWorkerClass(node);
  Object.defineProperty(globalThis, 'Worker', {
    configurable: true,
    enumerable: false,
    get: () => cls,
    set: () => {
      // Ignored: see above.
    },
  });
  Object.defineProperty(globalThis, INSTALLED, { value: cls, configurable: true });
  return cls;
}
