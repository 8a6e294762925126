/**
 * A compute backend that aigc can switch to. Adapter packages (`@aigc/backend-webgpu`,
 * `@aigc/backend-node-gpu`) export objects of this shape; nothing registers until `load()`.
 */
export interface BackendAdapter {
  /** The aigc name users pass as `backend`, e.g. `'wasm'` or `'node-gpu'`. */
  readonly name: string;
  /** The tfjs backend name `load()` registers and `tf.setBackend` selects, e.g. `'tensorflow'`. */
  readonly tfBackend: string;
  /** Whether this adapter can plausibly load here (package present, platform supported). */
  isAvailable(): Promise<boolean>;
  /** Imports and registers the tfjs backend. Idempotent; throws a BackendUnavailableError on failure. */
  load(): Promise<void>;
  /** What `load()` chose (e.g. the wasm thread count and why); undefined before it ran or where the adapter does not say. */
  info?(): BackendInfo | undefined;
}

/** What a loaded backend runs on, as its adapter reports it (see `Trainer.backendInfo`). */
export interface BackendInfo {
  /** The aigc backend name, e.g. `'wasm'`. */
  readonly name: string;
  /** CPU threads the kernels run on (wasm: XNNPACK's pool); absent where the adapter does not report it. */
  readonly threads?: number;
  /** How that thread count was chosen: the auto rule's inputs, a pin, or the fallback's reason. */
  readonly threadsReason?: string;
}

/** Backend names aigc knows. Other strings resolve through adapters registered at run time. */
export type BackendName = 'cpu' | 'wasm' | 'webgpu' | 'webgl' | 'node' | 'node-gpu' | (string & {});

/** One backend (by name or adapter object) or an ordered fallback list whose first loadable entry wins. */
export type BackendSpec = BackendName | BackendAdapter | ReadonlyArray<BackendName | BackendAdapter>;

/** The shape an adapter package exports so `backend: 'name'` can find it by dynamic import. */
export interface BackendAdapterModule {
  /** Factories by aigc backend name, e.g. `{ webgpu: () => webgpuBackend() }`. */
  readonly aigcBackends: Readonly<Record<string, () => BackendAdapter>>;
}
