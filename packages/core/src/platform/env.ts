/** True when running under Node.js (not a browser bundle that shims `process`). */
export function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string' && typeof (globalThis as { window?: unknown }).window === 'undefined';
}

/**
 * A Node built-in module through `process.getBuiltinModule` (Node >= 20.16), or undefined outside
 * Node or on older Node. Keeps `node:` imports out of browser bundles' module graphs.
 */
export function nodeBuiltin<T>(id: `node:${string}`): T | undefined {
  const proc = (globalThis as { process?: { getBuiltinModule?: (id: string) => unknown } }).process;
  return proc?.getBuiltinModule?.(id) as T | undefined;
}

/**
 * Imports a module by a specifier computed at run time, so bundlers do not try to resolve
 * optional packages that may not be installed.
 */
export function dynamicImport(specifier: string): Promise<unknown> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier);
}

/** True if `error` says that `specifier` itself (not one of its dependencies) could not be found. */
export function isModuleNotFound(error: unknown, specifier: string): boolean {
  const e = error as { code?: string; message?: string } | undefined;
  if (!e || typeof e !== 'object') return false;
  const notFound =
    e.code === 'ERR_MODULE_NOT_FOUND' ||
    e.code === 'MODULE_NOT_FOUND' ||
    /Cannot find (module|package)|Failed to resolve module specifier|Failed to fetch dynamically imported module/i.test(
      e.message ?? '',
    );
  return notFound && (e.message ?? '').includes(specifier);
}
