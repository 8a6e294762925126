import type { StepMetrics, TrainerCallback } from '@aigc/core';

/** Where progress goes; `isTTY` picks a redrawn bar over plain lines. */
export interface ProgressStream {
  isTTY?: boolean;
  columns?: number;
  write(text: string): unknown;
}

function formatTime(seconds: number): string {
  if (!Number.isFinite(seconds)) return '--:--';
  const s = Math.max(0, Math.round(seconds));
  const m = Math.floor(s / 60);
  return `${m}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A progress callback: a bar redrawn in place on a terminal, or a plain line every `every`
 * steps (default: 20 lines per run) when the output is a file or pipe.
 */
export function progressBar(stream: ProgressStream, options: { every?: number } = {}): TrainerCallback {
  let total = 0;
  let start = 0;
  let initial = 0;
  let every = options.every ?? 0;
  const line = (m: StepMetrics) => {
    const done = m.step - initial;
    const elapsed = (Date.now() - start) / 1000;
    const rate = done / Math.max(elapsed, 1e-9);
    const eta = (total - done) / rate;
    const stats =
      `${rate.toFixed(1)} step/s  dLoss ${m.dLoss.toFixed(3)}  gLoss ${m.gLoss.toFixed(3)}  ` +
      `D(x) ${m.dReal.toFixed(2)}  D(G(z)) ${m.dFake.toFixed(2)}  D acc ${m.dAccuracy.toFixed(2)}  ETA ${formatTime(eta)}`;
    return { done, stats };
  };
  return {
    onTrainBegin(info) {
      total = info.totalSteps;
      initial = info.initialStep;
      start = Date.now();
      if (every <= 0) every = Math.max(1, Math.round(total / 20));
      stream.write(`Training ${total} steps on ${info.backend} (${info.stepsPerEpoch} steps per epoch)\n`);
    },
    onStepEnd(m) {
      const { done, stats } = line(m);
      if (stream.isTTY) {
        const width = 24;
        const filled = Math.round((done / total) * width);
        const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${done}/${total} ${stats}`;
        const cols = stream.columns ?? 120;
        stream.write(`\r${bar.slice(0, cols - 1).padEnd(Math.min(cols - 1, bar.length))}`);
      } else if (done % every === 0 || done === total) {
        stream.write(`step ${done}/${total}  ${stats}\n`);
      }
    },
    onTrainEnd(h) {
      if (stream.isTTY) stream.write('\n');
      const secs = (Date.now() - start) / 1000;
      stream.write(`Done: ${h.steps} steps in ${formatTime(secs)} (${h.stopReason}).\n`);
    },
  };
}
