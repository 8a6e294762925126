/** A small canvas line chart for training curves; keeps every point, draws at most once a frame. */

/** One line of a {@link LineChart}. */
export interface Series {
  /** Legend text. */
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
  /** Points averaged into one drawn point when smoothing; default 1 (no smoothing). */
  readonly smooth?: number;
}

/** Plots several series against the step number; `data-points` on the canvas tells how many points it holds. */
export class LineChart {
  private readonly steps: number[] = [];
  private readonly values: number[][];
  private pending = false;

  constructor(
    private readonly canvas: HTMLCanvasElement,
    private readonly series: readonly Series[],
    private readonly options: LineChartOptions = {},
  ) {
    this.values = series.map(() => []);
    this.draw();
  }

  /** Number of points per series. */
  get length(): number {
    return this.steps.length;
  }

  /** Adds one value per series at `step` and schedules a redraw. */
  push(step: number, values: readonly number[]): void {
    this.steps.push(step);
    values.forEach((v, i) => this.values[i]?.push(v));
    this.canvas.dataset.points = String(this.steps.length);
    this.schedule();
  }

  /** Removes every point. */
  clear(): void {
    this.steps.length = 0;
    for (const v of this.values) v.length = 0;
    this.canvas.dataset.points = '0';
    this.schedule();
  }

  private schedule(): void {
    if (this.pending) return;
    this.pending = true;
    requestAnimationFrame(() => {
      this.pending = false;
      this.draw();
    });
  }

  private smoothed(values: readonly number[]): number[] {
    const k = this.options.smooth ?? 1;
    if (k <= 1) return [...values];
    const out: number[] = [];
    let sum = 0;
    values.forEach((v, i) => {
      sum += v;
      if (i >= k) sum -= values[i - k] as number;
      out.push(sum / Math.min(i + 1, k));
    });
    return out;
  }

  private draw(): void {
    const ratio = window.devicePixelRatio || 1;
    const cssWidth = this.canvas.clientWidth || 320;
    const cssHeight = this.canvas.clientHeight || 160;
    if (this.canvas.width !== Math.round(cssWidth * ratio)) this.canvas.width = Math.round(cssWidth * ratio);
    if (this.canvas.height !== Math.round(cssHeight * ratio)) this.canvas.height = Math.round(cssHeight * ratio);
    const ctx = this.canvas.getContext('2d');
    if (!ctx) return;
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, cssWidth, cssHeight);
    const pad = { left: 36, right: 8, top: 22, bottom: 18 };
    const w = cssWidth - pad.left - pad.right;
    const h = cssHeight - pad.top - pad.bottom;
    const lines = this.values.map((v) => this.smoothed(v));
    const all = lines.flat().filter(Number.isFinite);
    let [lo, hi] = this.options.yRange ?? [Math.min(0, ...all), Math.max(1e-6, ...all)];
    if (this.options.yRange === undefined) hi += (hi - lo) * 0.05;
    const n = this.steps.length;
    const first = this.steps[0] ?? 0;
    const last = this.steps[n - 1] ?? 1;
    const x = (s: number) => pad.left + (n < 2 ? 0 : ((s - first) / Math.max(1, last - first)) * w);
    const y = (v: number) => pad.top + h - ((Math.min(hi, Math.max(lo, v)) - lo) / (hi - lo)) * h;

    ctx.font = '11px system-ui, sans-serif';
    ctx.strokeStyle = 'rgba(255,255,255,0.08)';
    ctx.fillStyle = 'rgba(255,255,255,0.45)';
    ctx.lineWidth = 1;
    for (let i = 0; i <= 4; i++) {
      const v = lo + ((hi - lo) * i) / 4;
      ctx.beginPath();
      ctx.moveTo(pad.left, y(v));
      ctx.lineTo(pad.left + w, y(v));
      ctx.stroke();
      ctx.fillText(v.toFixed(Math.abs(hi - lo) < 2 ? 2 : 1), 2, y(v) + 4);
    }
    if (this.options.guide !== undefined) {
      ctx.setLineDash([4, 4]);
      ctx.strokeStyle = 'rgba(255,255,255,0.3)';
      ctx.beginPath();
      ctx.moveTo(pad.left, y(this.options.guide));
      ctx.lineTo(pad.left + w, y(this.options.guide));
      ctx.stroke();
      ctx.setLineDash([]);
    }
    if (n > 0) ctx.fillText(`step ${last}`, pad.left + w - 60, cssHeight - 4);

    let legendX = pad.left;
    this.series.forEach((s, i) => {
      const line = lines[i] ?? [];
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.5;
      ctx.beginPath();
      line.forEach((v, j) => {
        const px = x(this.steps[j] as number);
        if (j === 0) ctx.moveTo(px, y(v));
        else ctx.lineTo(px, y(v));
      });
      ctx.stroke();
      ctx.fillStyle = s.color;
      ctx.fillRect(legendX, 6, 10, 10);
      ctx.fillStyle = 'rgba(255,255,255,0.8)';
      const latest = line[line.length - 1];
      const text = latest === undefined ? s.label : `${s.label} ${latest.toFixed(3)}`;
      ctx.fillText(text, legendX + 14, 15);
      legendX += ctx.measureText(text).width + 28;
    });
  }
}
