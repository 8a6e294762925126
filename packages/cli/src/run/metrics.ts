/** Reading a run's `metrics.jsonl` back: step rows, FID points and the last step. */
import { readFileSync } from 'node:fs';
import type { FidPoint, MetricRow } from '../charts.js';

/** What a metrics file holds. */
export interface RunMetrics {
  /** One row per logged step, in file order; a resumed run's repeated steps keep the last. */
  readonly steps: MetricRow[];
  /** FID measurements (`{"event":"fid"}` lines). */
  readonly fid: FidPoint[];
}

/** Parses `metrics.jsonl` (missing file: empty); lines that are not JSON (a crash mid-write) are skipped. */
export function readRunMetrics(file: string): RunMetrics {
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    return { steps: [], fid: [] };
  }
  const byStep = new Map<number, MetricRow>();
  const fid: FidPoint[] = [];
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    let row: Record<string, unknown>;
    try {
      row = JSON.parse(line) as Record<string, unknown>;
    } catch {
      continue;
    }
    if (row.event === 'fid' && typeof row.step === 'number' && typeof row.fid === 'number') fid.push({ step: row.step, fid: row.fid });
    else if (row.event === undefined && typeof row.step === 'number') byStep.set(row.step, row as MetricRow);
  }
  return { steps: [...byStep.values()].sort((a, b) => a.step - b.step), fid };
}
