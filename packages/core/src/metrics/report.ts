/** The evaluation report: one entry per metric with its sample counts, and a plain-text rendering. */

/** Names of the metrics {@link evaluate} can compute. */
export type MetricName =
  | 'fid'
  | 'kid'
  | 'precision'
  | 'recall'
  | 'classifierScore'
  | 'classCoverage'
  | 'memorization'
  | 'discriminatorAccuracy';

/** Every metric name, in report order. */
export const METRIC_NAMES: readonly MetricName[] = Object.freeze([
  'fid',
  'kid',
  'precision',
  'recall',
  'classifierScore',
  'classCoverage',
  'memorization',
  'discriminatorAccuracy',
]);

/** Which way a metric improves. */
export type MetricDirection = 'lower' | 'higher' | 'toward 0.5' | 'toward 1';

/** One computed metric. */
export interface MetricResult {
  /** Metric name. */
  readonly name: MetricName;
  /** Headline value (see docs/metrics.md for each metric's meaning and scale). */
  readonly value: number;
  /** Standard deviation over subsets or splits, for KID and the classifier score. */
  readonly std?: number;
  /** Which way is better. */
  readonly better: MetricDirection;
  /** Images the value is based on. */
  readonly samples: { readonly generated: number; readonly real?: number; readonly train?: number };
  /** Supporting numbers (e.g. the class histogram, held-out distances). */
  readonly details?: Readonly<Record<string, number | readonly number[]>>;
}

/** What {@link evaluate} returns. */
export interface EvaluationReport {
  /** The feature extractor used. */
  readonly extractor: {
    readonly name: string;
    readonly featureDim: number;
    readonly dataset?: string;
    readonly testAccuracy?: number;
  };
  /** tfjs backend the evaluation ran on. */
  readonly backend: string;
  /** Seed of the latents and subsets. */
  readonly seed: number;
  /** Images used: generated, held-out real, and training images (memorization only). */
  readonly samples: { readonly generated: number; readonly real: number; readonly train?: number };
  /** The metrics, in {@link METRIC_NAMES} order. */
  readonly metrics: readonly MetricResult[];
  /** Wall time, seconds. */
  readonly seconds: number;
}

const LABELS: Record<MetricName, string> = {
  fid: 'FID (features)',
  kid: 'KID',
  precision: 'precision (k-NN)',
  recall: 'recall (k-NN)',
  classifierScore: 'classifier score',
  classCoverage: 'class coverage KL',
  memorization: 'memorization ratio',
  discriminatorAccuracy: 'D accuracy',
};

function fmt(v: number | undefined): string {
  if (v === undefined) return '';
  if (v === 0 || !Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  return a < 1e-3 || a >= 1e5 ? v.toExponential(3) : v.toPrecision(4);
}

function note(m: MetricResult): string {
  const d = m.details ?? {};
  if (m.name === 'classCoverage' && typeof d.classesCovered === 'number') {
    return `${d.classesCovered}/${(d.histogram as readonly number[] | undefined)?.length ?? '?'} classes covered`;
  }
  if (m.name === 'memorization' && typeof d.nearCopyFraction === 'number') {
    return `near copies ${(100 * d.nearCopyFraction).toFixed(2)}%`;
  }
  if (m.name === 'discriminatorAccuracy' && typeof d.accuracyReal === 'number' && typeof d.accuracyFake === 'number') {
    return `real ${(100 * d.accuracyReal).toFixed(1)}%, fake ${(100 * d.accuracyFake).toFixed(1)}%`;
  }
  return '';
}

/** Renders a report as an aligned plain-text table (one metric a line), for CLIs and logs. */
export function formatReport(report: EvaluationReport): string {
  const ex = report.extractor;
  const acc = ex.testAccuracy === undefined ? '' : `, ${(100 * ex.testAccuracy).toFixed(2)}% test accuracy`;
  const head =
    `Evaluation: ${report.samples.generated} generated vs ${report.samples.real} real images` +
    (report.samples.train === undefined ? '' : ` (${report.samples.train} training images for memorization)`) +
    `\nextractor ${ex.name} (${ex.featureDim} features${acc}), backend ${report.backend}, seed ${report.seed}, ${report.seconds.toFixed(1)} s`;
  const rows = report.metrics.map((m) => [
    LABELS[m.name],
    fmt(m.value),
    m.std === undefined ? '' : `± ${fmt(m.std)}`,
    `n=${m.samples.generated}${m.samples.real === undefined ? '' : `/${m.samples.real}`}`,
    `better ${m.better}`,
    note(m),
  ]);
  const widths = [0, 1, 2, 3, 4].map((c) => Math.max(...rows.map((r) => r[c]!.length), 0));
  const lines = rows.map((r) =>
    r
      .map((cell, c) => (c === 1 || c === 2 ? cell.padStart(widths[c]!) : c < 5 ? cell.padEnd(widths[c]!) : cell))
      .join('  ')
      .trimEnd(),
  );
  return [head, ...lines].join('\n');
}
