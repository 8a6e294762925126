/** The page: wires the controls to the training worker, draws its reports and runs the explorer. */
import { augmentChartSpec, discriminatorChartSpec, lossChartSpec } from '@aigc/cli/charts';
import { MetricsChart } from './chart.js';
import { paintGrid } from './draw.js';
import { Explorer } from './explorer.js';
import { BACKEND_CHOICES } from './backends-menu.js';
import { acceptDrops, filesOfInput } from './folder-input.js';
import { MODEL_CHOICES } from './models.js';
import { PRETRAINED } from './pretrained-config.js';
import type { StepMetrics } from '@aigc/core';
import type { AugmentChoice, ChartPoint, CleaningSummary, DataSource, FromWorker, PictureFile, RunSettings, SavedRun, ToWorker } from './protocol.js';

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no #${id}.`);
  return el;
}
const $canvas = (id: string) => $(id) as HTMLCanvasElement;
const $button = (id: string) => $(id) as HTMLButtonElement;
const $select = (id: string) => $(id) as HTMLSelectElement;
const $input = (id: string) => $(id) as HTMLInputElement;

const ui = {
  backend: $('backend'),
  step: $('step'),
  epoch: $('epoch'),
  rate: $('rate'),
  status: $('status'),
  samplesStep: $('samples-step'),
  attemptsBox: $('attempts-box'),
  attempts: $('attempts'),
  model: $select('model'),
  backendChoice: $select('backend-choice'),
  batch: $select('batch'),
  source: $select('source'),
  augment: $('augment'),
  augmentChoice: $select('augment-choice'),
  steps: $select('steps'),
  size: $select('size'),
  channels: $select('channels'),
  pickFolder: $input('pick-folder'),
  pickFiles: $input('pick-files'),
  dropzone: $('dropzone'),
  decoding: $('decoding'),
  decodingBar: $('decoding-bar') as HTMLProgressElement,
  decodingText: $('decoding-text'),
  summary: $('summary'),
  progress: $('train-progress') as HTMLProgressElement,
  eta: $('eta'),
  checkpoint: $('checkpoint'),
  start: $button('start'),
  pause: $button('pause'),
  reset: $button('reset'),
  download: $button('download'),
  exploreMine: $button('explore-mine'),
};

for (const m of MODEL_CHOICES) ui.model.append(new Option(m.label, m.id));
for (const b of BACKEND_CHOICES) ui.backendChoice.append(new Option(b === 'auto' ? 'auto (best available)' : b, b));

/**
 * `?model=mlp&backend=wasm&batch=32&steps=500&size=16&channels=3&autostart=1` preselects the menus
 * (and starts); `checkpoint=S` saves the run every S seconds of training (default 30) and `sample=N`
 * redraws the grid every N steps (default 10).
 */
const params = new URLSearchParams(location.search);
function preselect(key: string, select: HTMLSelectElement, value = params.get(key)): void {
  if (value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
}
for (const [key, select] of [
  ['model', ui.model],
  ['backend', ui.backendChoice],
  ['batch', ui.batch],
  ['steps', ui.steps],
  ['augment', ui.augmentChoice],
  ['size', ui.size],
  ['channels', ui.channels],
] as const) {
  preselect(key, select);
}
const every = (key: string, fallback: number) => Math.max(1, Math.floor(Number(params.get(key) ?? fallback)) || fallback);

const lossChart = new MetricsChart($('loss-chart'), lossChartSpec, [
  ['dLoss', 'D loss'],
  ['gLoss', 'G loss'],
]);
const accChart = new MetricsChart($('acc-chart'), discriminatorChartSpec, [
  ['dAccuracy', 'D accuracy'],
  ['dReal', 'D(x)'],
  ['dFake', 'D(G(z))'],
]);
/** ADA's p, made (visible, so it takes the container's width) once a point carries it. */
let augmentChart: MetricsChart | undefined;

function chartPoint(m: StepMetrics): ChartPoint {
  const p = (m as unknown as { augmentP?: unknown }).augmentP;
  return { step: m.step, dLoss: m.dLoss, gLoss: m.gLoss, dAccuracy: m.dAccuracy, dReal: m.dReal, dFake: m.dFake, ...(typeof p === 'number' ? { augmentP: p } : {}) };
}

function plot(point: ChartPoint): void {
  lossChart.push(point);
  accChart.push(point);
  if (point.augmentP !== undefined) {
    if (augmentChart === undefined) {
      $('augment-chart').hidden = false;
      augmentChart = new MetricsChart($('augment-chart'), augmentChartSpec, [['augmentP', 'p']]);
    }
    augmentChart.push(point);
  }
}

function clearCharts(): void {
  lossChart.clear();
  accChart.clear();
  augmentChart?.clear();
}

type State = 'idle' | 'running' | 'paused';
let state: State = 'idle';
let exportPurpose: 'download' | 'explore' = 'download';
/** Settings of the run in the worker (or the saved one), for the progress display. */
let current: RunSettings | undefined;

function setState(next: State): void {
  state = next;
  ui.start.disabled = next === 'running';
  ui.start.textContent = next === 'paused' ? 'Resume' : 'Start';
  ui.pause.disabled = next !== 'running';
  ui.reset.disabled = next === 'idle';
  ui.download.disabled = next === 'idle';
  ui.exploreMine.disabled = next === 'idle';
  for (const s of [ui.model, ui.backendChoice, ui.batch, ui.source, ui.steps, ui.augmentChoice]) s.disabled = next !== 'idle';
  document.body.dataset.state = next;
}

function setStatus(text: string, error = false): void {
  ui.status.textContent = text;
  ui.status.classList.toggle('error', error);
}

function download(name: string, blob: Blob): void {
  const a = document.createElement('a');
  a.href = URL.createObjectURL(blob);
  a.download = name;
  a.click();
  setTimeout(() => URL.revokeObjectURL(a.href), 10_000);
}

const worker = new Worker(new URL('./train-worker.ts', import.meta.url), { type: 'module' });
const send = (message: ToWorker) => worker.postMessage(message);
const explorer = new Explorer({
  image: $canvas('explore-image'),
  strip: $canvas('strip'),
  sliders: $('sliders'),
  source: $('explorer-source'),
  classes: $select('explore-class'),
});

/** Words for the skip reasons of `loadImageFiles`' report. */
const REASONS: Readonly<Record<string, string>> = {
  empty: 'empty',
  'not-image': 'not a picture',
  corrupt: 'corrupt',
  'too-large': 'too large',
  'too-small': 'too small',
  duplicate: 'duplicate',
  'near-constant': 'nearly blank',
  unreadable: 'unreadable',
  unlabeled: 'outside a class folder',
};

function showSummary(summary: CleaningSummary, stored: boolean): void {
  const [size, , channels] = summary.imageShape;
  const dropped = summary.dropped.map(
    (d) => `${d.count} ${REASONS[d.reason] ?? d.reason} (${d.examples.join(', ')}${d.count > d.examples.length ? ', ...' : ''})`,
  );
  const took = stored ? ' (kept in this browser)' : ` in ${summary.seconds.toFixed(1)} s`;
  ui.summary.replaceChildren(
    `${summary.found.toLocaleString()} files${took}: ${summary.used.toLocaleString()} pictures used, ` +
      `centre-cropped and resized to ${size} x ${size} ${channels === 3 ? 'colour' : 'gray'}.`,
  );
  if (dropped.length > 0) {
    const span = document.createElement('span');
    span.className = 'dropped';
    span.textContent = ` Left out: ${dropped.join('; ')}.`;
    ui.summary.append(span);
  }
  ui.summary.hidden = false;
  ui.summary.dataset.found = String(summary.found);
  ui.summary.dataset.used = String(summary.used);
  ui.summary.dataset.dropped = JSON.stringify(Object.fromEntries(summary.dropped.map((d) => [d.reason, d.count])));
  const option = [...ui.source.options].find((o) => o.value === 'pictures') as HTMLOptionElement;
  option.disabled = false;
  option.textContent = `your pictures (${summary.used.toLocaleString()}, ${size} px)`;
  if (state === 'idle') ui.source.value = 'pictures';
}

function showProgress(step: number, rate: number): void {
  const target = current?.targetSteps ?? 0;
  if (target > 0) {
    ui.progress.max = target;
    ui.progress.value = Math.min(step, target);
    const left = Math.max(0, target - step);
    const eta = rate > 0 ? left / rate : NaN;
    ui.eta.textContent = `${step.toLocaleString()} / ${target.toLocaleString()} steps` + (Number.isFinite(eta) && left > 0 ? `, about ${formatSeconds(eta)} left` : '');
  } else {
    ui.progress.removeAttribute('value');
    ui.eta.textContent = `${step.toLocaleString()} steps`;
  }
}

function formatSeconds(s: number): string {
  if (s < 90) return `${Math.ceil(s)} s`;
  if (s < 5400) return `${Math.round(s / 60)} min`;
  return `${(s / 3600).toFixed(1)} h`;
}

function replay(history: readonly ChartPoint[]): void {
  clearCharts();
  for (const p of history) plot(p);
}

function showSaved(saved: SavedRun): void {
  current = saved.settings;
  ui.source.value = saved.settings.source;
  preselect('model', ui.model, saved.settings.model);
  preselect('batch', ui.batch, String(saved.settings.batchSize));
  preselect('steps', ui.steps, String(saved.settings.targetSteps));
  preselect('augment', ui.augmentChoice, saved.settings.augment);
  replay(saved.history);
  ui.step.textContent = String(saved.step);
  document.body.dataset.step = String(saved.step);
  document.body.dataset.saved = String(saved.step);
  ui.checkpoint.textContent = `saved in this browser at step ${saved.step}`;
  showProgress(saved.step, 0);
  setState('paused');
  setStatus(`Found your saved run at step ${saved.step} (${new Date(saved.savedAt).toLocaleString()}). Resume continues it; Reset starts over.`);
}

function givePictures(files: PictureFile[]): void {
  if (files.length === 0) {
    setStatus('No files there: choose or drop a folder with pictures in it.', true);
    return;
  }
  if (state === 'running') setStatus('Pausing to read your pictures...');
  ui.decoding.hidden = false;
  ui.decodingBar.value = 0;
  ui.decodingText.textContent = `reading ${files.length} files...`;
  send({ type: 'pictures', files, size: Number(ui.size.value), channels: ui.channels.value === '1' ? 1 : 3 });
}

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'status':
      setStatus(m.text);
      break;
    case 'data':
      setStatus(`Loaded ${m.size.toLocaleString()} images in ${m.seconds.toFixed(1)} s.`);
      break;
    case 'decoding':
      ui.decodingBar.max = m.total;
      ui.decodingBar.value = m.done;
      ui.decodingText.textContent = `decoded ${m.done} of ${m.total} files`;
      break;
    case 'pictures':
      ui.decoding.hidden = true;
      showSummary(m.summary, m.stored);
      setStatus(m.summary.used > 0 ? 'Your pictures are ready: press Start.' : 'None of these files could be used.', m.summary.used === 0);
      break;
    case 'saved':
      if (m.run !== null && state === 'idle') showSaved(m.run);
      document.body.dataset.probed = 'true';
      break;
    case 'checkpointed':
      ui.checkpoint.textContent = `saved in this browser at step ${m.step}`;
      document.body.dataset.checkpoint = String(m.step);
      break;
    case 'backend':
      ui.backend.textContent = m.name;
      document.body.dataset.backend = m.name;
      ui.attemptsBox.hidden = m.attempts.length === 0;
      ui.attempts.textContent = m.attempts.join('\n\n');
      break;
    case 'augment':
      ui.augment.textContent = m.text;
      document.body.dataset.augment = m.text;
      break;
    case 'step':
      ui.step.textContent = String(m.metrics.step);
      ui.epoch.textContent = String(m.metrics.epoch);
      ui.rate.textContent = m.stepsPerSecond.toFixed(1);
      showProgress(m.metrics.step, m.stepsPerSecond);
      document.body.dataset.step = String(m.metrics.step);
      document.body.dataset.metrics = JSON.stringify(m.metrics);
      plot(chartPoint(m.metrics));
      break;
    case 'samples':
      paintGrid($canvas('samples'), m.grid);
      ui.samplesStep.textContent = `at step ${m.step}`;
      $canvas('samples').dataset.step = String(m.step);
      break;
    case 'paused':
      setState('paused');
      setStatus(`Paused at step ${m.step}.`);
      break;
    case 'reset':
      setState('idle');
      clearCharts();
      ui.step.textContent = '0';
      ui.epoch.textContent = '0';
      ui.rate.textContent = '0';
      ui.samplesStep.textContent = '';
      ui.checkpoint.textContent = '';
      ui.eta.textContent = '';
      ui.progress.value = 0;
      delete document.body.dataset.step;
      delete document.body.dataset.saved;
      delete document.body.dataset.checkpoint;
      setStatus('Ready.');
      break;
    case 'exported':
      if (exportPurpose === 'download') {
        download('model.json', new Blob([m.json], { type: 'application/json' }));
        download('weights.bin', new Blob([m.weights], { type: 'application/octet-stream' }));
      } else {
        const step = ui.step.textContent;
        explorer
          .loadArtifacts(m.json, m.weights, `the generator you trained (step ${step})`)
          .catch((e: unknown) => setStatus(`Could not load the trained generator: ${String(e)}`, true));
      }
      break;
    case 'error':
      ui.decoding.hidden = true;
      setStatus(m.message, true);
      if (state === 'running') setState(ui.step.textContent === '0' ? 'idle' : 'paused');
      break;
  }
};
worker.onerror = (event) => setStatus(`The training worker failed: ${event.message}`, true);

ui.start.addEventListener('click', () => {
  const settings: RunSettings = {
    source: ui.source.value as DataSource,
    model: ui.model.value,
    backend: ui.backendChoice.value,
    batchSize: Number(ui.batch.value),
    augment: ui.augmentChoice.value as AugmentChoice,
    seed: 1,
    sampleEvery: every('sample', 10),
    checkpointSeconds: every('checkpoint', 30),
    targetSteps: Number(ui.steps.value),
  };
  current = settings;
  setState('running');
  send({ type: 'start', settings });
});
ui.pause.addEventListener('click', () => send({ type: 'pause' }));
ui.pickFolder.addEventListener('change', () => givePictures(filesOfInput(ui.pickFolder)));
ui.pickFiles.addEventListener('change', () => givePictures(filesOfInput(ui.pickFiles)));
acceptDrops(ui.dropzone, givePictures, (message) => setStatus(message, true));
// Dropping anywhere else on the page must not navigate away to the file.
for (const type of ['dragover', 'drop'] as const) window.addEventListener(type, (e) => e.preventDefault());
ui.reset.addEventListener('click', () => send({ type: 'reset' }));
ui.download.addEventListener('click', () => {
  exportPurpose = 'download';
  send({ type: 'export' });
});
ui.exploreMine.addEventListener('click', () => {
  exportPurpose = 'explore';
  send({ type: 'export' });
});
$button('random').addEventListener('click', () => explorer.randomize());
$button('new-ends').addEventListener('click', () => explorer.newEnds());
$button('wander').addEventListener('click', (e) => {
  (e.currentTarget as HTMLButtonElement).textContent = explorer.toggleWander() ? 'Stop' : 'Wander';
});

setState('idle');
send({ type: 'probe' });
if (params.get('autostart') === '1') ui.start.click();
explorer
  .loadUrl(new URL(PRETRAINED.url, document.baseURI).href, 'the pre-trained conditional DCGAN shipped with this page', PRETRAINED.classNames)
  .then(() => (document.body.dataset.explorer = 'ready'))
  .catch((e: unknown) => {
    $('explorer-source').textContent = `(the pre-trained generator failed to load: ${String(e)})`;
  });
