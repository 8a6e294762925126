import { tf, assertGradientsRegistered } from '../tf.js';
import { BackendUnavailableError, InvalidArgumentError } from '../errors.js';
import { cpuBackend } from './cpu.js';
import { wasmBackend } from './wasm.js';
import { dynamicImport, isModuleNotFound, isNode } from '../platform/env.js';
import type { BackendAdapter, BackendAdapterModule, BackendSpec } from './types.js';

/** Loads a module by specifier; injectable so tests can stand in for packages that are not installed. */
export type ModuleImporter = (specifier: string) => Promise<unknown>;

const builtin: Record<string, () => BackendAdapter> = {
  cpu: () => cpuBackend(),
  wasm: () => wasmBackend(),
};

/** Backend names served by separate adapter packages, loaded on demand by dynamic import. */
export const ADAPTER_PACKAGES: Readonly<Record<string, string>> = {
  webgpu: '@aigc/backend-webgpu',
  webgl: '@aigc/backend-webgpu',
  'node-gpu': '@aigc/backend-node-gpu',
  node: '@aigc/backend-node-gpu',
};

const registered = new Map<string, BackendAdapter>();

/** Makes `adapter` resolvable by its name (overrides built-ins and packages of the same name). */
export function registerBackendAdapter(adapter: BackendAdapter): void {
  registered.set(adapter.name, adapter);
}

/** Every backend name `resolveBackendAdapter` understands, built-in, registered or by package. */
export function knownBackendNames(): string[] {
  return [...new Set([...Object.keys(builtin), ...Object.keys(ADAPTER_PACKAGES), ...registered.keys()])];
}

/** The default backend: `'wasm'` in Node; in browsers `webgpu`, then `webgl`, then `wasm`. */
export function defaultBackend(): BackendSpec {
  return isNode() ? 'wasm' : ['webgpu', 'webgl', 'wasm'];
}

/** Options of {@link resolveBackendAdapter} and {@link useBackend}. */
export interface ResolveBackendOptions {
  /** How adapter packages are imported; defaults to dynamic `import()`. */
  readonly importModule?: ModuleImporter;
}

/**
 * Finds the adapter for a backend name: registered adapters first, then built-ins (`cpu`,
 * `wasm`), then the adapter package that serves the name (`@aigc/backend-webgpu`, ...).
 */
export async function resolveBackendAdapter(
  name: string,
  options: ResolveBackendOptions = {},
): Promise<BackendAdapter> {
  const known = registered.get(name) ?? builtin[name]?.();
  if (known) return known;
  const pkg = ADAPTER_PACKAGES[name];
  if (pkg === undefined) {
    throw new BackendUnavailableError(
      name,
      `Unknown backend "${name}". Known backends: ${knownBackendNames().join(', ')}. ` +
        'Pass one of these names, or an adapter object (see registerBackendAdapter).',
    );
  }
  const importModule = options.importModule ?? dynamicImport;
  let mod: Partial<BackendAdapterModule> | undefined;
  try {
    mod = (await importModule(pkg)) as Partial<BackendAdapterModule>;
  } catch (cause) {
    if (isModuleNotFound(cause, pkg)) {
      throw new BackendUnavailableError(
        name,
        `Backend "${name}" needs the package ${pkg}, which is not installed. Run \`npm install ${pkg}\`, ` +
          `or choose another backend (${knownBackendNames().filter((n) => n !== name).join(', ')}).`,
        { cause },
      );
    }
    throw new BackendUnavailableError(
      name,
      `Backend "${name}": importing ${pkg} failed: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
  const factory = mod?.aigcBackends?.[name];
  if (typeof factory !== 'function') {
    throw new BackendUnavailableError(
      name,
      `${pkg} does not provide the backend "${name}" (no aigcBackends["${name}"] export). ` +
        `Check that ${pkg} matches this version of @aigc/core.`,
    );
  }
  return factory();
}

function describe(entry: string | BackendAdapter): string {
  return typeof entry === 'string' ? entry : entry.name;
}

async function activate(entry: string | BackendAdapter, options: ResolveBackendOptions): Promise<BackendAdapter> {
  const adapter = typeof entry === 'string' ? await resolveBackendAdapter(entry, options) : entry;
  await adapter.load();
  let ok: boolean;
  try {
    ok = await tf.setBackend(adapter.tfBackend);
    if (ok) await tf.ready();
  } catch (cause) {
    throw new BackendUnavailableError(
      adapter.name,
      `Backend "${adapter.name}" failed to initialize: ${(cause as Error)?.message ?? String(cause)}`,
      { cause },
    );
  }
  if (!ok) {
    throw new BackendUnavailableError(
      adapter.name,
      `Backend "${adapter.name}" (tfjs backend "${adapter.tfBackend}") failed to initialize on this machine.`,
    );
  }
  return adapter;
}

/**
 * Makes a backend the active tfjs backend, for this process (tfjs' backend is global).
 * A list is tried in order and the first that initializes wins; returns the adapter in use.
 */
export async function useBackend(
  spec: BackendSpec = defaultBackend(),
  options: ResolveBackendOptions = {},
): Promise<BackendAdapter> {
  assertGradientsRegistered();
  const entries: ReadonlyArray<string | BackendAdapter> =
    typeof spec === 'string' || !Array.isArray(spec) ? [spec as string | BackendAdapter] : spec;
  if (entries.length === 0) {
    throw new InvalidArgumentError('backend', 'The backend list is empty. Pass a name such as "wasm" or "cpu".');
  }
  const failures: string[] = [];
  let lastError: unknown;
  for (const entry of entries) {
    if (typeof entry !== 'string' && (typeof entry !== 'object' || entry === null || typeof entry.load !== 'function')) {
      throw new InvalidArgumentError(
        'backend',
        `Invalid backend ${JSON.stringify(entry)}: pass a backend name (${knownBackendNames().join(', ')}) or an adapter object.`,
      );
    }
    try {
      return await activate(entry, options);
    } catch (error) {
      lastError = error;
      failures.push(`${describe(entry)}: ${(error as Error)?.message ?? String(error)}`);
    }
  }
  if (entries.length === 1) throw lastError;
  throw new BackendUnavailableError(
    entries.map(describe).join(','),
    `None of the backends could be initialized:\n  ${failures.join('\n  ')}`,
    { cause: lastError },
  );
}
