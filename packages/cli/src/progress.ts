import type { StepMetrics, TrainerCallback } from '@aigc/core';

/** Where progress goes; `isTTY` picks a bar redrawn in place over plain lines. */
export interface ProgressStream {
  /** True for a terminal. */
  readonly isTTY?: boolean;
  /** Terminal width; default 120. */
  readonly columns?: number;
  /** Writes text as is. */
  write(text: string): unknown;
}

/** Options of {@link progressBar}. */
export interface ProgressBarOptions {
  /** Plain-line mode: a line every N steps. Default: 20 lines per run. */
  readonly every?: number;
  /** Global step the run counts to (a resumed run shows `step/total` of the whole run). Default: the fit call's own steps. */
  readonly totalSteps?: number;
}

/** `m:ss` (or `h:mm:ss`) for a duration in seconds; `--:--` when unknown. */
export function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

function extras(m: StepMetrics): string {
  const augmentP = (m as unknown as Record<string, unknown>).augmentP;
  return typeof augmentP === 'number' ? `  p ${augmentP.toFixed(2)}` : '';
}

/**
 * A training callback that shows progress: on a terminal a bar redrawn in place with the rate,
 * ETA and current losses; otherwise a plain line every `every` steps (default 20 lines per run).
 */
export function progressBar(stream: ProgressStream, options: ProgressBarOptions = {}): TrainerCallback {
  let total = 0;
  let initial = 0;
  let start = 0;
  let every = options.every ?? 0;
  return {
    onTrainBegin(info) {
      initial = info.initialStep;
      total = options.totalSteps ?? initial + info.totalSteps;
      start = Date.now();
      if (every <= 0) every = Math.max(1, Math.round(info.totalSteps / 20));
      stream.write(
        `Training ${info.totalSteps} steps${initial > 0 ? ` from step ${initial}` : ''} on ${info.backend} (${info.stepsPerEpoch} steps per epoch)\n`,
      );
    },
    onStepEnd(m) {
      const done = m.step - initial;
      const elapsed = (Date.now() - start) / 1000;
      const rate = done / Math.max(elapsed, 1e-9);
      const eta = (total - m.step) / rate;
      const stats =
        `${rate.toFixed(2)} step/s  ETA ${formatDuration(eta)}  D ${m.dLoss.toFixed(3)}  G ${m.gLoss.toFixed(3)}  ` +
        `D(x) ${m.dReal.toFixed(2)}  D(G(z)) ${m.dFake.toFixed(2)}  acc ${m.dAccuracy.toFixed(2)}${extras(m)}`;
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.min(width, Math.round((m.step / Math.max(total, 1)) * width));
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${m.step}/${total} ${stats}`;
        const cols = stream.columns ?? 120;
        stream.write(`\r${bar.slice(0, cols - 1).padEnd(cols - 1)}`);
      } else if (done % every === 0 || m.step === total) {
        stream.write(`step ${m.step}/${total}  ${stats}\n`);
      }
    },
    onTrainEnd(h) {
      if (stream.isTTY) stream.write('\n');
      const secs = (Date.now() - start) / 1000;
      stream.write(`${h.stopReason === 'aborted' ? 'Stopped' : 'Done'}: ${h.steps} steps in ${formatDuration(secs)}, at step ${h.globalStep}.\n`);
    },
  };
}
