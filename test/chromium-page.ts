/**
 * Test helper shared by the packages' Chromium tests (not part of any published package): bundles
 * a page script from sources with esbuild, serves it on 127.0.0.1 (a secure context, as WebGPU
 * requires) and opens it in headless Debian Chromium through playwright-core (never downloads a
 * browser).
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { chromium, type Browser, type Page } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The browser the Chromium tests use; CI installs it with `apt-get install chromium`. */
export const CHROMIUM = process.env.AIGC_CHROMIUM ?? '/usr/bin/chromium';

/** Chromium's flags when the page needs nothing special: `--no-sandbox` only. */
export const DEFAULT_CHROMIUM_ARGS: readonly string[] = ['--no-sandbox'];

/**
 * Flags for pages that use WebGPU or WebGL: `--enable-unsafe-webgpu` exposes WebGPU on Linux, where
 * Chromium ships it behind a flag; with no GPU, Chromium then offers its SwiftShader fallback
 * adapter. WebGL runs on SwiftShader through ANGLE.
 */
export const WEBGPU_CHROMIUM_ARGS: readonly string[] = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--no-sandbox'];

/** Why Chromium cannot run here, or undefined. */
export function chromiumUnavailableReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium, or set AIGC_CHROMIUM)`;
}

/** The page script: a file to bundle, or source text whose relative imports resolve from `resolveDir`. */
export type PageEntry = { readonly file: string } | { readonly contents: string; readonly resolveDir: string };

/** Bundles the page script for the browser, with `@aigc/core` and `@aigc/backend-webgpu` taken from sources (as in vitest). */
export async function bundlePage(entry: PageEntry): Promise<string> {
  const result = await build({
    ...('file' in entry ? { entryPoints: [entry.file] } : { stdin: { contents: entry.contents, resolveDir: entry.resolveDir, loader: 'ts' } }),
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    logLevel: 'silent',
    alias: {
      '@aigc/core': join(root, 'packages/core/src/index.ts'),
      '@aigc/backend-webgpu': join(root, 'packages/backend-webgpu/src/index.ts'),
    },
    define: { 'process.env.NODE_ENV': '"production"' },
  });
  const file = result.outputFiles[0];
  if (!file) throw new Error('esbuild produced no bundle for the test page.');
  return file.text;
}

/** What the page server serves besides `/` (the HTML) and `/page.js` (the script). */
export interface PageServerOptions {
  /** The page's `<title>`; default none. */
  readonly title?: string;
  /** Serve tfjs-backend-wasm's binaries under `/wasm/` (for `wasmBackend({ wasmPaths })`); default false. */
  readonly serveWasm?: boolean;
}

/** A running page server; `close()` stops it. */
export interface PageServer {
  readonly url: string;
  close(): Promise<void>;
}

/** Starts a server on a free port of 127.0.0.1 serving an HTML page that loads `script` as a module. */
export async function startPageServer(script: string, options: PageServerOptions = {}): Promise<PageServer> {
  const title = options.title === undefined ? '' : `<title>${options.title}</title>`;
  const html = `<!doctype html><meta charset="utf-8">${title}<script type="module" src="/page.js"></script>`;
  const wasmDir = options.serveWasm ? dirname(createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm')) : undefined;
  const server: Server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const send = (type: string, body: string | Buffer) => {
      res.writeHead(200, { 'content-type': type, 'cache-control': 'no-store' });
      res.end(body);
    };
    if (path === '/') return send('text/html', html);
    if (path === '/page.js') return send('text/javascript', script);
    const wasm = wasmDir === undefined ? null : /^\/wasm\/(tfjs-backend-wasm[\w-]*\.wasm)$/.exec(path);
    if (wasmDir !== undefined && wasm?.[1]) {
      readFile(join(wasmDir, wasm[1])).then(
        (bytes) => send('application/wasm', bytes),
        () => (res.writeHead(404), res.end()),
      );
      return;
    }
    res.writeHead(404);
    res.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** How to open a test page. */
export interface ChromiumPageOptions extends PageServerOptions {
  readonly entry: PageEntry;
  /** The global the page script sets (to anything truthy) when it is ready. */
  readonly readyGlobal: string;
  /** Chromium's flags; default {@link DEFAULT_CHROMIUM_ARGS}. */
  readonly args?: readonly string[];
  /** Called with the new page before it is first loaded (to attach listeners). */
  readonly onPage?: (page: Page) => void;
}

/** A test page open in headless Chromium. */
export interface ChromiumPage {
  readonly browser: Browser;
  readonly page: Page;
  readonly url: string;
  /** Uncaught page errors so far. */
  readonly pageErrors: string[];
  /** (Re)loads the page and waits up to 60 s for its ready global. */
  load(): Promise<void>;
  /** Closes Chromium and the server. */
  close(): Promise<void>;
}

/** Bundles `entry`, serves it, launches Chromium, opens the page and waits until it is ready. */
export async function openChromiumPage(options: ChromiumPageOptions): Promise<ChromiumPage> {
  const server = await startPageServer(await bundlePage(options.entry), options);
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...(options.args ?? DEFAULT_CHROMIUM_ARGS)] });
    const page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    options.onPage?.(page);
    const load = async () => {
      await page.goto(server.url);
      await page.waitForFunction((name) => Boolean((globalThis as Record<string, unknown>)[name]), options.readyGlobal, { timeout: 60_000 });
    };
    await load();
    const open = browser;
    return {
      browser: open,
      page,
      url: server.url,
      pageErrors,
      load,
      close: async () => {
        await open.close();
        await server.close();
      },
    };
  } catch (e) {
    await browser?.close();
    await server.close();
    throw e;
  }
}
