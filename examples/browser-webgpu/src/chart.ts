/**
 * Live training charts: the Vega-Lite specs of the CLI's report.html (`@aigc/cli/charts`: raw
 * values thin, a trailing mean bold), dressed for the page's dark theme, with new points streamed
 * into the view at most once a frame.
 */
import { METRICS_DATA, type ChartOptions, type ChartSpec, type MetricRow } from '@aigc/cli/charts';
import { View, changeset, parse, truthy } from 'vega';
import { compile, type TopLevelSpec } from 'vega-lite';
import type { ChartPoint } from './protocol.js';

/** A spec builder of `@aigc/cli/charts`, e.g. `lossChartSpec`. */
export type SpecBuilder = (rows: readonly MetricRow[], options: ChartOptions) => ChartSpec;

/** Options of {@link MetricsChart}. */
export interface MetricsChartOptions {
  /** Points in the trailing mean; default 10. */
  readonly smoothing?: number;
  /** Plot height in CSS pixels; default 110. */
  readonly height?: number;
}

const MUTED = '#9aa1b4';

/** The CLI's spec with the page's size and colours. */
function pageSpec(build: SpecBuilder, options: MetricsChartOptions): TopLevelSpec {
  const spec = build([], { smoothing: options.smoothing ?? 10, height: options.height ?? 110 });
  return {
    ...spec,
    width: 'container',
    background: 'transparent',
    config: {
      view: { stroke: null },
      title: { color: '#e6e8ef', fontSize: 12, fontWeight: 500, anchor: 'start' },
      axis: { labelColor: MUTED, titleColor: MUTED, gridColor: 'rgba(255,255,255,0.08)', domainColor: '#333a4f', tickColor: '#333a4f', labelFontSize: 10 },
      legend: { labelColor: '#e6e8ef', orient: 'top', direction: 'horizontal', labelFontSize: 11 },
    },
  } as unknown as TopLevelSpec;
}

/**
 * One chart of training metrics in `container` (a block element), with a line of the latest values
 * under it; `data-points` on the container tells how many points the drawn view holds.
 */
export class MetricsChart {
  private readonly view: View;
  private readonly latest: HTMLElement;
  private readonly ready: Promise<unknown>;
  private pendingRows: ChartPoint[] = [];
  private clearPending = false;
  private scheduled = false;
  private count = 0;

  constructor(
    private readonly container: HTMLElement,
    build: SpecBuilder,
    private readonly fields: ReadonlyArray<readonly [key: keyof ChartPoint, label: string]>,
    options: MetricsChartOptions = {},
  ) {
    const plot = document.createElement('div');
    plot.className = 'plot';
    this.latest = document.createElement('div');
    this.latest.className = 'latest';
    container.replaceChildren(plot, this.latest);
    container.dataset.points = '0';
    this.view = new View(parse(compile(pageSpec(build, options)).spec), { renderer: 'canvas', container: plot, hover: true });
    this.ready = this.view.runAsync();
  }

  /** Points drawn plus points waiting for the next frame. */
  get length(): number {
    return this.count + this.pendingRows.length;
  }

  /** Adds one step's metrics and schedules a redraw. */
  push(point: ChartPoint): void {
    this.pendingRows.push(point);
    this.latest.textContent = this.fields
      .map(([key, label]) => {
        const v = point[key];
        return typeof v === 'number' ? `${label} ${v.toFixed(3)}` : '';
      })
      .filter((t) => t !== '')
      .join('   ');
    this.schedule();
  }

  /** Removes every point. */
  clear(): void {
    this.pendingRows = [];
    this.clearPending = true;
    this.latest.textContent = '';
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
    // Vega adds bookkeeping to the objects it holds: give it copies.
    change.insert(rows.map((r) => ({ ...r })));
    this.count += rows.length;
    await this.view.change(METRICS_DATA, change).runAsync();
    this.container.dataset.points = String(this.count);
  }
}
