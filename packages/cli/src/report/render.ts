/** Vega in Node: compiles the Vega-Lite chart specs to Vega and renders them to SVG without a DOM. */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as path from 'node:path';
import type { ChartSpec } from '../charts.js';

/** A Vega specification (compiled from Vega-Lite). */
export type VegaSpec = { readonly [key: string]: unknown };

/** Compiles a Vega-Lite spec to a Vega spec (what the report's inlined Vega runtime draws). */
export async function compileChart(spec: ChartSpec): Promise<VegaSpec> {
  const { compile } = await import('vega-lite');
  return compile(spec as unknown as Parameters<typeof compile>[0]).spec as unknown as VegaSpec;
}

/** Renders a Vega-Lite spec to an SVG document, headless (Vega's `renderer: 'none'`). */
export async function renderSvg(spec: ChartSpec): Promise<string> {
  const vega = await import('vega');
  const view = new vega.View(vega.parse((await compileChart(spec)) as Parameters<typeof vega.parse>[0]), { renderer: 'none' });
  try {
    return await view.toSVG();
  } finally {
    view.finalize();
  }
}

let runtime: string | undefined;

/** The source of Vega's browser build (`vega.min.js`), to inline into HTML. */
export function vegaRuntimeSource(): string {
  if (runtime === undefined) {
    const entry = createRequire(import.meta.url).resolve('vega');
    runtime = readFileSync(path.join(path.dirname(entry), 'vega.min.js'), 'utf8');
  }
  return runtime;
}
