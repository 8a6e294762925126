/** `report.html`: one self-contained page (no network) with a run's charts, sample grids, data report and configuration. */
import { trainingCharts, type FidPoint, type MetricRow } from '../charts.js';
import { compileChart, vegaRuntimeSource } from './render.js';

/** A sample grid shown in the report's strip. */
export interface ReportGrid {
  /** Global step it was drawn at. */
  readonly step: number;
  /** PNG bytes. */
  readonly png: Uint8Array;
}

/** What {@link renderReportHtml} shows. */
export interface ReportContent {
  /** Page title, e.g. the run folder's name. */
  readonly title: string;
  /** One row per step. */
  readonly metrics: readonly MetricRow[];
  /** FID over training. Default none. */
  readonly fid?: readonly FidPoint[];
  /** Sample grids over training, in step order. Default none. */
  readonly grids?: readonly ReportGrid[];
  /** The data's cleaning report. */
  readonly dataReport?: unknown;
  /** The run's configuration. */
  readonly config?: unknown;
  /** Smoothing window of the loss curves (points). Default: about 1/40 of the steps, at least 1. */
  readonly smoothing?: number;
}

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
/** JSON safe inside a `<script>` element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

function table(value: unknown): string {
  if (value === undefined) return '<p>none</p>';
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return `<pre>${escapeHtml(JSON.stringify(value, null, 2))}</pre>`;
  const rows = Object.entries(value as Record<string, unknown>).map(([k, v]) => {
    const compact = JSON.stringify(v);
    const cell =
      v !== null && typeof v === 'object'
        ? `<pre>${escapeHtml(compact.length <= 100 ? compact.replace(/,/g, ', ') : JSON.stringify(v, null, 2))}</pre>`
        : escapeHtml(String(v));
    return `<tr><th>${escapeHtml(k)}</th><td>${cell}</td></tr>`;
  });
  return `<table>${rows.join('')}</table>`;
}

function base64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The report as one HTML string: Vega's runtime and every image inlined, so it opens from disk with no network. */
export async function renderReportHtml(content: ReportContent): Promise<string> {
  const n = content.metrics.length;
  const smoothing = content.smoothing ?? Math.max(1, Math.round(n / 40));
  const charts = trainingCharts(content.metrics, content.fid ?? [], { smoothing });
  const compiled = await Promise.all(charts.map(async (c) => ({ id: c.id, title: c.title, spec: await compileChart(c.spec) })));
  const last = content.metrics.at(-1);
  const grids = content.grids ?? [];
  const strip = grids
    .map((g) => `<figure><img alt="samples at step ${g.step}" src="data:image/png;base64,${base64(g.png)}"><figcaption>step ${g.step}</figcaption></figure>`)
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(content.title)} · aigc training report</title>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 1.5rem auto; max-width: 1200px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.15rem; margin-top: 2rem; border-bottom: 1px solid #ddd; }
.charts { display: flex; flex-wrap: wrap; gap: 1rem; }
.strip { display: flex; gap: .75rem; overflow-x: auto; padding-bottom: .5rem; }
.strip figure { margin: 0; flex: none; text-align: center; }
.strip img { height: 240px; image-rendering: pixelated; border: 1px solid #ccc; }
table { border-collapse: collapse; } th, td { text-align: left; vertical-align: top; padding: 2px 10px 2px 0; border-bottom: 1px solid #eee; }
pre { margin: 0; white-space: pre-wrap; }
</style>
</head>
<body>
<h1>${escapeHtml(content.title)}</h1>
<p id="summary">${n} steps logged${last ? `; last step ${last.step}` : ''}.</p>
<h2>Training curves</h2>
<div class="charts">${compiled.map((c) => `<div id="chart-${c.id}" class="chart" data-chart="${c.id}"></div>`).join('')}</div>
<h2>Samples over training</h2>
<div class="strip" id="grids">${strip || '<p>no sample grids yet</p>'}</div>
<h2>Data</h2>
<div id="data-report">${table(content.dataReport)}</div>
<h2>Configuration</h2>
<div id="config">${table(content.config)}</div>
<script>${vegaRuntimeSource().replace(/<\/script/gi, '<\\/script')}</script>
<script>
(function () {
  var charts = ${scriptJson(compiled)};
  var views = {};
  window.aigcReport = { views: views, ready: Promise.all(charts.map(function (c) {
    var view = new vega.View(vega.parse(c.spec), { renderer: 'svg', container: '#chart-' + c.id, hover: true });
    views[c.id] = view;
    return view.runAsync();
  })) };
})();
</script>
</body>
</html>
`;
}
