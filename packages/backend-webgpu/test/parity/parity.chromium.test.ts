/**
 * Cross-backend parity in headless Chromium (Debian's /usr/bin/chromium driven by
 * playwright-core, page on 127.0.0.1): every model × loss case trains on cpu, wasm, webgpu and
 * webgl inside the page, and each must match the page's cpu run within the tolerances of
 * compare.ts. Skipped, with the reason printed, only where Chromium is not installed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parityCases, type ParityFailure, type ParityResult } from './cases.js';
import { chromiumUnavailableReason, openChromium, type ChromiumSession } from './chromium.js';
import { byCase, caseKey, expectParity, printSummary } from './expect-parity.js';

const cases = parityCases();
const missing = chromiumUnavailableReason();
if (missing && process.env.CI) throw new Error(`[parity] the Chromium parity suite must run in CI: ${missing}`);
if (missing) console.warn(`[parity] skipping the Chromium parity suite: ${missing}`);

describe.skipIf(missing !== undefined)('parity in headless Chromium', () => {
  let session: ChromiumSession;
  let reference = new Map<string, ParityResult | ParityFailure>();

  beforeAll(async () => {
    session = await openChromium();
    const runs = await session.run('cpu', cases);
    reference = byCase(runs);
    printSummary('cpu (Chromium, reference)', runs, reference);
  });

  afterAll(async () => {
    await session?.close();
  });

  it('sees the same cases in the page bundle as in Node, and a WebGPU adapter', async () => {
    expect(await session.cases()).toEqual(cases);
    const adapter = await session.adapterInfo();
    console.log(`[parity] Chromium WebGPU adapter: ${adapter}`);
    expect(adapter).not.toBeNull();
  });

  for (const backend of ['wasm', 'webgpu', 'webgl']) {
    describe(backend, () => {
      let results = new Map<string, ParityResult | ParityFailure>();
      beforeAll(async () => {
        const runs = await session.run(backend, cases);
        results = byCase(runs);
        printSummary(`${backend} (Chromium)`, runs, reference);
      });
      it.each(cases.map((c) => [caseKey(c), c] as const))('%s matches cpu', (key) => {
        expectParity(results.get(key), reference.get(key), backend);
      });
    });
  }

  it('raised no uncaught page errors and no WebGPU validation errors', () => {
    expect(session.pageErrors).toEqual([]);
    expect(session.gpuErrors).toEqual([]);
  });
});
