/**
 * Drives the parity page in headless Debian Chromium through playwright-core (never downloads a
 * browser). Returns why Chromium cannot be used here, or a session that runs cases on a backend.
 */
import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
import type { ParityCase, ParityFailure, ParityResult } from './cases.js';
import type { ParityPage } from './browser-entry.js';
import { startPageServer, type PageServer } from './page-server.js';

/** The browser the suite uses; CI installs it with `apt-get install chromium`. */
export const CHROMIUM = process.env.AIGC_CHROMIUM ?? '/usr/bin/chromium';

/**
 * `--enable-unsafe-webgpu` exposes WebGPU on Linux, where Chromium ships it behind a flag; with no
 * GPU, Chromium then offers its SwiftShader fallback adapter. WebGL runs on SwiftShader through ANGLE.
 */
export const CHROMIUM_ARGS = ['--enable-unsafe-webgpu', '--use-angle=swiftshader', '--no-sandbox'];

/** A page ready to run parity cases. */
export interface ChromiumSession {
  /** Cases as the page's bundle of @aigc/core sees them. */
  cases(): Promise<ParityCase[]>;
  /** The GPU adapter Chromium offers (vendor/architecture), or null. */
  adapterInfo(): Promise<string | null>;
  run(backend: string, cases: readonly ParityCase[]): Promise<Array<ParityResult | ParityFailure>>;
  /** Uncaught page errors so far. */
  readonly pageErrors: string[];
  /** Console messages in which Chromium reports WebGPU validation errors (invalid pipelines, commands). */
  readonly gpuErrors: string[];
  close(): Promise<void>;
}

/** Why Chromium cannot run here, or undefined. */
export function chromiumUnavailableReason(): string | undefined {
  return existsSync(CHROMIUM) ? undefined : `${CHROMIUM} not found (apt-get install chromium, or set AIGC_CHROMIUM)`;
}

/** Starts the page server and Chromium and waits for the page script. */
export async function openChromium(): Promise<ChromiumSession> {
  const server: PageServer = await startPageServer();
  let browser: Browser | undefined;
  try {
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
    const page: Page = await browser.newPage();
    const pageErrors: string[] = [];
    page.on('pageerror', (e) => pageErrors.push(e.message));
    const gpuErrors: string[] = [];
    page.on('console', (m) => {
      if (/Invalid (ComputePipeline|CommandBuffer|BindGroup)|exceeds the maximum|While calling \[/.test(m.text())) gpuErrors.push(m.text());
    });
    await page.goto(server.url);
    await page.waitForFunction(() => (globalThis as { aigcParity?: unknown }).aigcParity !== undefined, undefined, { timeout: 60_000 });
    const open = browser;
    return {
      pageErrors,
      gpuErrors,
      cases: () => page.evaluate(() => (globalThis as unknown as { aigcParity: ParityPage }).aigcParity.cases()),
      adapterInfo: () =>
        page.evaluate(async () => {
          const gpu = (navigator as unknown as { gpu?: { requestAdapter(): Promise<{ info?: { vendor?: string; architecture?: string } } | null> } }).gpu;
          const a = gpu ? await gpu.requestAdapter() : null;
          return a ? `${a.info?.vendor ?? '?'}/${a.info?.architecture ?? '?'}` : null;
        }),
      run: (backend, cases) =>
        page.evaluate(
          ([b, c]) => (globalThis as unknown as { aigcParity: ParityPage }).aigcParity.run(b, c),
          [backend, [...cases]] as const,
        ),
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
