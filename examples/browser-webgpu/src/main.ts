/** The page: wires the controls to the training worker, draws its reports and runs the explorer. */
import { LineChart } from './chart.js';
import { paintGray } from './draw.js';
import { Explorer } from './explorer.js';
import { BACKEND_CHOICES } from './backends-menu.js';
import { MODEL_CHOICES } from './models.js';
import { PRETRAINED } from './pretrained-config.js';
import type { FromWorker, RunSettings, ToWorker } from './protocol.js';

function $(id: string): HTMLElement {
  const el = document.getElementById(id);
  if (!el) throw new Error(`The page has no #${id}.`);
  return el;
}
const $canvas = (id: string) => $(id) as HTMLCanvasElement;
const $button = (id: string) => $(id) as HTMLButtonElement;
const $select = (id: string) => $(id) as HTMLSelectElement;

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
  start: $button('start'),
  pause: $button('pause'),
  reset: $button('reset'),
  download: $button('download'),
  exploreMine: $button('explore-mine'),
};

for (const m of MODEL_CHOICES) ui.model.append(new Option(m.label, m.id));
for (const b of BACKEND_CHOICES) ui.backendChoice.append(new Option(b === 'auto' ? 'auto (best available)' : b, b));

/** `?model=mlp&backend=wasm&batch=32&autostart=1` preselects the menus (and starts). */
const params = new URLSearchParams(location.search);
for (const [key, select] of [
  ['model', ui.model],
  ['backend', ui.backendChoice],
  ['batch', ui.batch],
] as const) {
  const value = params.get(key);
  if (value !== null && [...select.options].some((o) => o.value === value)) select.value = value;
}

const lossChart = new LineChart(
  $canvas('loss-chart'),
  [
    { label: 'D loss', color: '#7c9cff' },
    { label: 'G loss', color: '#ff8fb1' },
  ],
  { smooth: 10 },
);
const accChart = new LineChart(
  $canvas('acc-chart'),
  [
    { label: 'D accuracy', color: '#7be0b0' },
    { label: 'D(x)', color: '#f5c26b' },
    { label: 'D(G(z))', color: '#c89bff' },
  ],
  { yRange: [0, 1], guide: 0.5, smooth: 10 },
);

type State = 'idle' | 'running' | 'paused';
let state: State = 'idle';
let exportPurpose: 'download' | 'explore' = 'download';

function setState(next: State): void {
  state = next;
  ui.start.disabled = next === 'running';
  ui.start.textContent = next === 'paused' ? 'Resume' : 'Start';
  ui.pause.disabled = next !== 'running';
  ui.reset.disabled = next === 'idle';
  ui.download.disabled = next === 'idle';
  ui.exploreMine.disabled = next === 'idle';
  for (const s of [ui.model, ui.backendChoice, ui.batch]) s.disabled = next !== 'idle';
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
});

worker.onmessage = (event: MessageEvent<FromWorker>) => {
  const m = event.data;
  switch (m.type) {
    case 'status':
      setStatus(m.text);
      break;
    case 'data':
      setStatus(`Loaded ${m.size.toLocaleString()} images in ${m.seconds.toFixed(1)} s.`);
      break;
    case 'backend':
      ui.backend.textContent = m.name;
      document.body.dataset.backend = m.name;
      ui.attemptsBox.hidden = m.attempts.length === 0;
      ui.attempts.textContent = m.attempts.join('\n\n');
      break;
    case 'step':
      ui.step.textContent = String(m.metrics.step);
      ui.epoch.textContent = String(m.metrics.epoch);
      ui.rate.textContent = m.stepsPerSecond.toFixed(1);
      document.body.dataset.step = String(m.metrics.step);
      document.body.dataset.metrics = JSON.stringify(m.metrics);
      lossChart.push(m.metrics.step, [m.metrics.dLoss, m.metrics.gLoss]);
      accChart.push(m.metrics.step, [m.metrics.dAccuracy, m.metrics.dReal, m.metrics.dFake]);
      break;
    case 'samples':
      paintGray($canvas('samples'), m.grid);
      ui.samplesStep.textContent = `at step ${m.step}`;
      $canvas('samples').dataset.step = String(m.step);
      break;
    case 'paused':
      setState('paused');
      setStatus(`Paused at step ${m.step}.`);
      break;
    case 'reset':
      setState('idle');
      lossChart.clear();
      accChart.clear();
      ui.step.textContent = '0';
      ui.epoch.textContent = '0';
      ui.rate.textContent = '0';
      ui.samplesStep.textContent = '';
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
      setStatus(m.message, true);
      if (state === 'running') setState(ui.step.textContent === '0' ? 'idle' : 'paused');
      break;
  }
};
worker.onerror = (event) => setStatus(`The training worker failed: ${event.message}`, true);

ui.start.addEventListener('click', () => {
  const settings: RunSettings = {
    model: ui.model.value,
    backend: ui.backendChoice.value,
    batchSize: Number(ui.batch.value),
    seed: 1,
    sampleEvery: 10,
  };
  setState('running');
  send({ type: 'start', settings });
});
ui.pause.addEventListener('click', () => send({ type: 'pause' }));
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
if (params.get('autostart') === '1') ui.start.click();
explorer
  .loadUrl(new URL(PRETRAINED.url, document.baseURI).href, 'the pre-trained generator shipped with this page')
  .then(() => (document.body.dataset.explorer = 'ready'))
  .catch((e: unknown) => {
    $('explorer-source').textContent = `(the pre-trained generator failed to load: ${String(e)})`;
  });
