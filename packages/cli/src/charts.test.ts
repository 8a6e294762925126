import * as vega from 'vega';
import { describe, expect, it } from 'vitest';
import { discriminatorChartSpec, lossChartSpec, METRICS_DATA, trainingCharts, type MetricRow } from './charts.js';
import { compileChart, renderSvg } from './report/render.js';

const rows: MetricRow[] = Array.from({ length: 10 }, (_, i) => ({ step: i + 1, dLoss: i, gLoss: 10 - i, dReal: 0.5, dFake: 0.25, dAccuracy: 0.75, time: 123 }));

/** Runs a spec headless and returns the rows of its derived dataset `name` (Vega-Lite names the layers' data data_0, data_1, ...). */
async function viewOf(spec: ReturnType<typeof lossChartSpec>) {
  const view = new vega.View(vega.parse((await compileChart(spec)) as vega.Spec), { renderer: 'none' });
  await view.runAsync();
  return view;
}

describe('chart specs', () => {
  it('carry only step and their own fields in the named dataset', () => {
    const values = (lossChartSpec(rows).data as { name: string; values: Array<Record<string, number>> });
    expect(values.name).toBe(METRICS_DATA);
    expect(values.values[0]).toEqual({ step: 1, dLoss: 0, gLoss: 10 });
    expect(values.values).toHaveLength(10);
    const rowsWithGap = [...rows, { step: 11, dLoss: Number.NaN, gLoss: Number.POSITIVE_INFINITY }];
    expect((lossChartSpec(rowsWithGap).data as { values: unknown[] }).values).toHaveLength(10);
  });

  it('draw raw values and a trailing mean over `smoothing` points per series', async () => {
    const view = await viewOf(lossChartSpec(rows, { smoothing: 3 }));
    expect(view.data(METRICS_DATA)).toHaveLength(10);
    // The folded, smoothed rows: D loss at step 5 is the mean of steps 3..5 = (2 + 3 + 4) / 3.
    const derived = Object.keys((view as unknown as { _runtime: { data: Record<string, unknown> } })._runtime.data)
      .map((name) => view.data(name) as Array<Record<string, unknown>>)
      .find((d) => d.some((r) => 'smoothed' in r)) as Array<Record<string, number | string>>;
    const d5 = derived.find((r) => r.series === 'dLoss' && r.step === 5);
    expect(d5).toMatchObject({ raw: 4, smoothed: 3, label: 'D loss' });
    const g1 = derived.find((r) => r.series === 'gLoss' && r.step === 1);
    expect(g1).toMatchObject({ raw: 10, smoothed: 10, label: 'G loss' });
  });

  it('pick the charts that apply and render to SVG without a DOM', async () => {
    expect(trainingCharts(rows).map((c) => c.id)).toEqual(['losses', 'discriminator']);
    expect(trainingCharts([{ step: 1, augmentP: 0.1 }], [{ step: 1, fid: 3 }]).map((c) => c.id)).toEqual(['losses', 'discriminator', 'augment', 'fid']);
    const svg = await renderSvg(discriminatorChartSpec(rows));
    expect(svg).toMatch(/^<svg/);
    expect(svg).toContain('D(G(z))');
  });
});
