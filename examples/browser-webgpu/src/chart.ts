/**
 * Training curves as Vega-Lite charts (the library the CLI's report.html uses): raw values thin,
 * a moving average bold, points streamed in at most once a frame.
 */
import { View, changeset, parse, truthy } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';

/** One line of a {@link LineChart}. */
export interface Series {
  /** Legend text; also the field name, so no dots or brackets. */
  readonly label: string;
  /** CSS color. */
  readonly color: string;
}

/** Options of {@link LineChart}. */
export interface LineChartOptions {
  /** Fixed y range; default: fit the data. */
  readonly yRange?: readonly [number, number];
  /** Draw a dashed guide line at this y (e.g. 0.5 for chance accuracy). */
  readonly guide?: number;
  /** Steps in the moving average drawn bold; default 1 (no smoothing). */
  readonly smooth?: number;
  /** Plot height in CSS pixels; default 120. */
  readonly height?: number;
}

type Row = Record<string, number>;

function spec(series: readonly Series[], options: LineChartOptions): TopLevelSpec {
  const labels = series.map((s) => s.label);
  const k = Math.max(1, options.smooth ?? 1);
  const x = { field: 'step', type: 'quantitative' as const, title: null, axis: { tickMinStep: 1 } };
  const yScale = options.yRange ? { domain: [...options.yRange], clamp: true } : { zero: false };
  const color = { field: 'series', type: 'nominal' as const, scale: { domain: labels, range: series.map((s) => s.color) }, legend: null };
  return {
    $schema: 'https://vega.github.io/schema/vega-lite/v6.json',
    width: 'container',
    height: options.height ?? 120,
    background: 'transparent',
    data: { name: 'points' },
    transform: [
      { fold: labels, as: ['series', 'value'] },
      { window: [{ op: 'mean', field: 'value', as: 'smooth' }], frame: [-(k - 1), 0], groupby: ['series'], sort: [{ field: 'step' }] },
    ],
    layer: [
      {
        mark: { type: 'line', strokeWidth: 1, opacity: k > 1 ? 0.3 : 1, clip: true },
        encoding: { x, y: { field: 'value', type: 'quantitative', title: null, scale: yScale }, color },
      },
      ...(k > 1
        ? [{ mark: { type: 'line' as const, strokeWidth: 1.8, clip: true }, encoding: { x, y: { field: 'smooth', type: 'quantitative' as const }, color } }]
        : []),
      ...(options.guide !== undefined
        ? [{ mark: { type: 'rule' as const, strokeDash: [4, 4], color: 'rgba(255,255,255,0.35)' }, encoding: { y: { datum: options.guide } } }]
        : []),
    ],
    config: {
      view: { stroke: null },
      axis: { labelColor: '#9aa1b4', gridColor: 'rgba(255,255,255,0.08)', domainColor: '#333a4f', tickColor: '#333a4f', labelFontSize: 10 },
    },
  };
}

/**
 * Plots several series against the step number in `container` (a block element), with a legend
 * of the latest values above it; `data-points` on the container tells how many points the plot holds.
 */
export class LineChart {
  private readonly view: View;
  private readonly legend: HTMLElement;
  private readonly ready: Promise<unknown>;
  private pendingRows: Row[] = [];
  private clearPending = false;
  private scheduled = false;
  private count = 0;
  private latest: readonly number[] = [];

  constructor(
    private readonly container: HTMLElement,
    private readonly series: readonly Series[],
    options: LineChartOptions = {},
  ) {
    this.legend = document.createElement('div');
    this.legend.className = 'legend';
    const plot = document.createElement('div');
    plot.className = 'plot';
    container.replaceChildren(this.legend, plot);
    container.dataset.points = '0';
    this.view = new View(parse(compile(spec(series, options)).spec), { renderer: 'canvas', container: plot, hover: false });
    this.ready = this.view.runAsync();
    this.drawLegend();
  }

  /** Number of points per series. */
  get length(): number {
    return this.count + this.pendingRows.length;
  }

  /** Adds one value per series at `step` and schedules a redraw. */
  push(step: number, values: readonly number[]): void {
    const row: Row = { step };
    this.series.forEach((s, i) => (row[s.label] = values[i] ?? Number.NaN));
    this.pendingRows.push(row);
    this.latest = values;
    this.schedule();
  }

  /** Removes every point. */
  clear(): void {
    this.pendingRows = [];
    this.clearPending = true;
    this.latest = [];
    this.schedule();
  }

  private schedule(): void {
    if (this.scheduled) return;
    this.scheduled = true;
    requestAnimationFrame(() => void this.flush());
  }

  private async flush(): Promise<void> {
    await this.ready;
    this.scheduled = false;
    const rows = this.pendingRows;
    this.pendingRows = [];
    const change = changeset();
    if (this.clearPending) {
      change.remove(truthy);
      this.count = 0;
      this.clearPending = false;
    }
    change.insert(rows);
    this.count += rows.length;
    await this.view.change('points', change).runAsync();
    this.container.dataset.points = String(this.count);
    this.drawLegend();
  }

  private drawLegend(): void {
    this.legend.replaceChildren(
      ...this.series.map((s, i) => {
        const item = document.createElement('span');
        const swatch = document.createElement('i');
        swatch.style.background = s.color;
        const v = this.latest[i];
        item.append(swatch, v === undefined ? s.label : `${s.label} ${v.toFixed(3)}`);
        return item;
      }),
    );
  }
}
