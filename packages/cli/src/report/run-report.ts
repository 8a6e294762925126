/** Writes a run folder's `report.html` and `losses.svg` from what the run has logged so far. */
import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';
import { writeFileAtomic } from '@aigc/core/node';
import { lossChartSpec } from '../charts.js';
import { runPaths } from '../run/layout.js';
import { readRunMetrics } from '../run/metrics.js';
import { renderReportHtml, type ReportGrid } from './html.js';
import { renderSvg } from './render.js';

/** Options of {@link writeRunReport}. */
export interface RunReportOptions {
  /** Most sample grids in the report's strip, evenly chosen, the last always included. Default 10. */
  readonly maxGrids?: number;
}

function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch {
    return undefined;
  }
}

/** The data report as the HTML shows it: without the list of every loaded file, at most 100 skipped files. */
export function summarizeDataReport(report: unknown): unknown {
  if (report === null || typeof report !== 'object') return report;
  const { loadedFiles: _files, skipped, ...rest } = report as { loadedFiles?: unknown; skipped?: unknown };
  const list = Array.isArray(skipped) ? skipped : [];
  return { ...rest, skipped: list.length > 100 ? [...list.slice(0, 100), `... and ${list.length - 100} more (see data-report.json)`] : list };
}

/** The grids `samples-<step>.png` of a run, at most `max`, evenly spread and ending with the last. */
export function pickGrids(dir: string, max: number): ReportGrid[] {
  let names: string[] = [];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  const found = names
    .map((name) => ({ name, m: /^samples-(\d+)\.png$/.exec(name) }))
    .filter((x) => x.m !== null)
    .map((x) => ({ name: x.name, step: Number(x.m?.[1]) }))
    .sort((a, b) => a.step - b.step);
  let picked = found;
  if (found.length > max && max > 0) {
    const idx = new Set(Array.from({ length: max }, (_, i) => Math.round((i * (found.length - 1)) / Math.max(1, max - 1))));
    picked = found.filter((_, i) => idx.has(i));
  }
  return picked.map((g) => ({ step: g.step, png: readFileSync(path.join(dir, g.name)) }));
}

/** Renders the run folder's `report.html` and `losses.svg` (atomically); resolves to their paths. */
export async function writeRunReport(dir: string, options: RunReportOptions = {}): Promise<{ html: string; svg: string }> {
  const paths = runPaths(dir);
  const { steps, fid } = readRunMetrics(paths.metrics);
  const smoothing = Math.max(1, Math.round(steps.length / 40));
  const html = await renderReportHtml({
    title: path.basename(path.resolve(dir)),
    metrics: steps,
    fid,
    grids: pickGrids(paths.grids, options.maxGrids ?? 10),
    dataReport: summarizeDataReport(readJson(paths.dataReport)),
    config: readJson(paths.config),
    smoothing,
  });
  await writeFileAtomic(paths.report, html);
  await writeFileAtomic(paths.lossesSvg, await renderSvg(lossChartSpec(steps, { smoothing })));
  return { html: paths.report, svg: paths.lossesSvg };
}
