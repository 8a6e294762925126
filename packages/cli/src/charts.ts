/**
 * Vega-Lite chart specifications of a GAN run's metrics, shared by the CLI's `report.html` /
 * `losses.svg` and the browser example's live charts. Isomorphic: plain objects, no Node or DOM.
 * Each chart reads one named dataset, so a page can stream new rows into it:
 * `view.insert(METRICS_DATA, rows).run()`.
 * @packageDocumentation
 */

/** One logged step: `step` plus the numbers of that step (`dLoss`, `gLoss`, `dReal`, ..., `augmentP`). */
export interface MetricRow {
  /** Global step, from 1. */
  readonly step: number;
  /** The step's numbers by name; other keys are ignored. */
  readonly [name: string]: unknown;
}

/** One FID measurement during training. */
export interface FidPoint {
  /** Global step it was measured at. */
  readonly step: number;
  /** The Fréchet distance (lower is better). */
  readonly fid: number;
}

/** A Vega-Lite specification (a JSON object; render it with vega-embed, or compile it with vega-lite). */
export type ChartSpec = { readonly [key: string]: unknown };

/** Name of the dataset every chart reads, for `view.insert(METRICS_DATA, rows)`. */
export const METRICS_DATA = 'metrics';

/** Vega-Lite schema URL the specs declare (used only as an identifier; nothing is fetched). */
export const VEGA_LITE_SCHEMA = 'https://vega.github.io/schema/vega-lite/v6.json';

/** Options of the chart builders. */
export interface ChartOptions {
  /** Plot width in pixels. Default 560. */
  readonly width?: number;
  /** Plot height in pixels. Default 220. */
  readonly height?: number;
  /** Points in the trailing mean drawn as the smoothed line (1 = no smoothing). Default 25. */
  readonly smoothing?: number;
}

/** A chart of a report: an id (HTML element and file names), a title and its spec. */
export interface NamedChart {
  /** Short id, e.g. `'losses'`. */
  readonly id: string;
  /** Human title. */
  readonly title: string;
  /** The Vega-Lite spec, data included. */
  readonly spec: ChartSpec;
}

const COLORS: Readonly<Record<string, string>> = {
  dLoss: '#d62728',
  gLoss: '#1f77b4',
  dReal: '#2ca02c',
  dFake: '#ff7f0e',
  dAccuracy: '#7f7f7f',
  augmentP: '#9467bd',
  fid: '#8c564b',
};

const LABELS: Readonly<Record<string, string>> = {
  dLoss: 'D loss',
  gLoss: 'G loss',
  dReal: 'D(x)',
  dFake: 'D(G(z))',
  dAccuracy: 'D accuracy',
  augmentP: 'augment p',
  fid: 'FID',
};

/** Rows reduced to `step` and the given finite fields (so each chart carries only its own numbers). */
function project(rows: readonly MetricRow[], fields: readonly string[]): Record<string, number>[] {
  const out: Record<string, number>[] = [];
  for (const r of rows) {
    if (typeof r.step !== 'number') continue;
    const row: Record<string, number> = { step: r.step };
    let any = false;
    for (const f of fields) {
      const v = r[f];
      if (typeof v === 'number' && Number.isFinite(v)) {
        row[f] = v;
        any = true;
      }
    }
    if (any) out.push(row);
  }
  return out;
}

function seriesChart(
  title: string,
  fields: readonly string[],
  yTitle: string,
  rows: readonly MetricRow[],
  options: ChartOptions,
  extra: { readonly domain?: readonly [number, number]; readonly smooth?: boolean } = {},
): ChartSpec {
  const smoothing = Math.max(1, Math.round(options.smoothing ?? 25));
  const smooth = (extra.smooth ?? true) && smoothing > 1;
  const y = (field: string) => ({
    field,
    type: 'quantitative',
    title: yTitle,
    ...(extra.domain ? { scale: { domain: [...extra.domain] } } : { scale: { zero: false } }),
  });
  const line = (field: string, mark: Record<string, unknown>) => ({
    mark: { type: 'line', interpolate: 'linear', clip: true, ...mark },
    encoding: { y: y(field), tooltip: [{ field: 'step', type: 'quantitative' }, { field: 'label', title: 'series' }, { field, type: 'quantitative', format: '.4f' }] },
  });
  return {
    $schema: VEGA_LITE_SCHEMA,
    title,
    width: options.width ?? 560,
    height: options.height ?? 220,
    data: { name: METRICS_DATA, values: project(rows, fields) },
    transform: [
      { fold: [...fields], as: ['series', 'raw'] },
      { filter: 'isValid(datum.raw) && isFinite(datum.raw)' },
      { calculate: `(${JSON.stringify(LABELS)})[datum.series] || datum.series`, as: 'label' },
      ...(smooth ? [{ window: [{ op: 'mean', field: 'raw', as: 'smoothed' }], frame: [-(smoothing - 1), 0], groupby: ['series'], sort: [{ field: 'step' }] }] : []),
    ],
    encoding: {
      x: { field: 'step', type: 'quantitative', title: 'step' },
      color: {
        field: 'label',
        type: 'nominal',
        title: null,
        scale: { domain: fields.map((f) => LABELS[f] ?? f), range: fields.map((f) => COLORS[f] ?? '#333333') },
      },
    },
    layer: smooth ? [line('raw', { opacity: 0.3, strokeWidth: 1 }), line('smoothed', { strokeWidth: 2 })] : [line('raw', { strokeWidth: 1.5, point: rows.length < 30 })],
  };
}

/** D and G losses per step: raw (thin) and a trailing mean over `smoothing` points (thick). */
export function lossChartSpec(rows: readonly MetricRow[] = [], options: ChartOptions = {}): ChartSpec {
  return seriesChart('Losses (raw and smoothed)', ['dLoss', 'gLoss'], 'loss', rows, options);
}

/** D's mean probabilities D(x) and D(G(z)) and its accuracy, on [0, 1]. */
export function discriminatorChartSpec(rows: readonly MetricRow[] = [], options: ChartOptions = {}): ChartSpec {
  return seriesChart('Discriminator: D(x), D(G(z)) and accuracy', ['dReal', 'dFake', 'dAccuracy'], 'probability', rows, options, { domain: [0, 1] });
}

/** ADA's augmentation probability p per step (the `augmentP` metric), on [0, 1]. */
export function augmentChartSpec(rows: readonly MetricRow[] = [], options: ChartOptions = {}): ChartSpec {
  return seriesChart('Augmentation probability p (ADA)', ['augmentP'], 'p', rows, options, { domain: [0, 1], smooth: false });
}

/** FID measured during training, by step. */
export function fidChartSpec(points: readonly FidPoint[] = [], options: ChartOptions = {}): ChartSpec {
  return seriesChart('FID during training (lower is better)', ['fid'], 'FID', points.map((p) => ({ step: p.step, fid: p.fid })), options, { smooth: false });
}

/**
 * The charts that apply to a run: losses and the discriminator always, ADA's p when the rows carry
 * `augmentP`, FID when `fid` has points.
 */
export function trainingCharts(rows: readonly MetricRow[], fid: readonly FidPoint[] = [], options: ChartOptions = {}): NamedChart[] {
  const charts: NamedChart[] = [
    { id: 'losses', title: 'Losses', spec: lossChartSpec(rows, options) },
    { id: 'discriminator', title: 'Discriminator', spec: discriminatorChartSpec(rows, options) },
  ];
  if (rows.some((r) => typeof r.augmentP === 'number')) charts.push({ id: 'augment', title: 'Augmentation', spec: augmentChartSpec(rows, options) });
  if (fid.length > 0) charts.push({ id: 'fid', title: 'FID', spec: fidChartSpec(fid, options) });
  return charts;
}
