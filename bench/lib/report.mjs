// Markdown rendering of a benchmark report and its insertion into docs/benchmarks.md.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';

const START = '<!-- bench:results:start -->';
const END = '<!-- bench:results:end -->';

const f = (x, d = 2) => (typeof x === 'number' && Number.isFinite(x) ? x.toFixed(d) : '–');
const pct = (x) => (typeof x === 'number' && Number.isFinite(x) ? `${(100 * x).toFixed(0)}%` : '–');

/** The generated section: machine, command, the results table, leak check, targets. */
export function renderMarkdown(report) {
  const { machine: m } = report;
  const lines = [];
  lines.push(`Generated ${report.finishedAt} by \`${report.command}\` in ${f(report.seconds / 60, 1)} min.`);
  lines.push('');
  lines.push(`Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}, Node ${m.node}, tfjs ${m.tfjs}. ` +
    `Load average (1/5/15 min) at start ${m.loadAvgStart.map((x) => x.toFixed(1)).join('/')}, at end ${m.loadAvgEnd.map((x) => x.toFixed(1)).join('/')} ` +
    `(other processes share the cores: absolute rates are noisy, ratios within one run are what count).`);
  lines.push('');
  lines.push('| backend | model | batch | Trainer steps/s | Trainer img/s | hand-written steps/s | Keras-style steps/s | Trainer / hand | Trainer / Keras | GFLOP/step | achieved GFLOP/s | matmul GFLOP/s (same windows / alone) | % of matmul | sample img/s @256 | tensor growth | RSS growth MiB |');
  lines.push('|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|');
  const unavailable = [];
  for (const r of report.results) {
    if (!r.available || !r.models) {
      unavailable.push(`- **${r.backend}**: unavailable here — ${r.error ?? 'no result'}`);
      if (!r.models) continue;
    }
    for (const mr of r.models) {
      const t = mr.loops.trainer;
      const h = mr.loops.hand;
      const k = mr.loops.keras;
      const main = t ?? h;
      const growth = Object.entries(mr.tensorGrowth).filter(([n]) => n !== 'matmul').map(([n, g]) => `${n} ${g}`).join(', ');
      lines.push(
        `| ${r.backend} | ${mr.model} | ${mr.batch} | ${f(t?.stepsPerSec)} | ${f(t?.imagesPerSec, 0)} | ${f(h?.stepsPerSec)} | ${f(k?.stepsPerSec)} | ` +
          `${f(mr.trainerVsHand)} | ${f(mr.trainerVsKeras)} | ${f(mr.flopsPerStep / 1e9)} | ${f(main?.achievedGflops)} | ` +
          `${f(mr.matmulInterleaved?.gflops)} / ${f(r.matmul?.gflops)} | ${pct(main?.fractionOfMatmul)} | ${f(mr.sampling?.imagesPerSec, 0)} | ${growth} | ${f(mr.rssGrowthMiB, 1)} |`,
      );
    }
  }
  lines.push('');
  lines.push('Steps/s are medians of interleaved windows after warm-up; "achieved" uses the Trainer (or, for wasm-stock, the hand-written loop). ' +
    '"% of matmul" divides by the same backend\'s 1024x1024 float32 matmul rate, sampled as a fourth "loop" in the same interleaved windows ' +
    '(so both see the same machine load; "alone" is a separate measurement at the start of the backend\'s process). ' +
    'wasm-stock is tfjs-backend-wasm without aigc\'s kernel overrides (with aigc\'s Conv2DBackpropFilter, which stock lacks), hand-written loop only.');
  if (unavailable.length) lines.push('', ...unavailable);
  const notes = report.results.filter((r) => r.note).map((r) => `- ${r.backend}: ${r.note}`);
  if (notes.length) lines.push('', ...notes);
  const leaks = report.results.filter((r) => r.leak);
  for (const r of leaks) {
    const l = r.leak;
    lines.push('', `Leak check (${r.backend}, ${l.model}, Trainer.fit): ${l.steps} steps in ${f(l.seconds, 1)} s, live tensors ${l.tensorsBefore} → ${l.tensorsAfter} ` +
      `(growth **${l.tensorGrowth}**), RSS growth ${f(l.rssGrowthMiB, 1)} MiB.`);
  }
  return lines.join('\n');
}

/** Replaces the generated section of `path` (between markers), keeping the hand-written text. */
export function updateDocs(path, md) {
  const block = `${START}\n${md}\n${END}`;
  let text = existsSync(path) ? readFileSync(path, 'utf8') : `# Benchmarks\n\n${START}\n${END}\n`;
  if (!text.includes(START)) text += `\n${START}\n${END}\n`;
  const a = text.indexOf(START);
  const b = text.indexOf(END, a);
  text = text.slice(0, a) + block + text.slice(b + END.length);
  writeFileSync(path, text);
}
