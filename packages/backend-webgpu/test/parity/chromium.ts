/**
 * Drives the parity page in headless Debian Chromium through playwright-core (never downloads a
 * browser). Returns why Chromium cannot be used here, or a session that runs cases on a backend.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ParityCase, ParityFailure, ParityResult } from './cases.js';
import type { ParityPage } from './browser-entry.js';
import { openChromiumPage, WEBGPU_CHROMIUM_ARGS } from '../../../../test/chromium-page.js';

export { CHROMIUM, chromiumUnavailableReason } from '../../../../test/chromium-page.js';

const here = dirname(fileURLToPath(import.meta.url));

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

/** Starts the page server and Chromium and waits for the page script. */
export async function openChromium(): Promise<ChromiumSession> {
  const gpuErrors: string[] = [];
  const { page, pageErrors, close } = await openChromiumPage({
    entry: { file: join(here, 'browser-entry.ts') },
    title: 'aigc parity',
    serveWasm: true,
    readyGlobal: 'aigcParity',
    args: WEBGPU_CHROMIUM_ARGS,
    onPage: (p) =>
      p.on('console', (m) => {
        if (/Invalid (ComputePipeline|CommandBuffer|BindGroup)|exceeds the maximum|While calling \[/.test(m.text())) gpuErrors.push(m.text());
      }),
  });
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
    close,
  };
}
