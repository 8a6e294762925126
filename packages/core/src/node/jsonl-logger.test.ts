import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { jsonlMetricsCallback } from './jsonl-logger.js';

const lines = (file: string) => readFileSync(file, 'utf8').trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);

describe('jsonlMetricsCallback', () => {
  it('writes begin, every N-th step, events in order and end; append keeps earlier lines', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'aigc-jsonl-')), 'logs', 'm.jsonl');
    const run = async (append: boolean, steps: number[]) => {
      const log = jsonlMetricsCallback(file, { every: 2, append });
      await log.event('before', { x: 0 }); // outside fit: ignored
      await log.onTrainBegin?.({ startStep: steps[0] } as never);
      for (const step of steps) {
        await log.onStepEnd?.({ step, dLoss: step / 10 } as never);
        if (step === 2) await log.event('fid', { step, fid: 12.5 });
      }
      await log.onTrainEnd?.({ steps: steps.length, globalStep: steps.at(-1), stopReason: 'steps', backend: 'cpu' } as never);
    };
    await run(false, [1, 2, 3, 4]);
    await run(true, [5, 6]);
    const got = lines(file).map(({ time: _t, ...rest }) => rest);
    expect(got).toEqual([
      { event: 'begin', startStep: 1 },
      { step: 2, dLoss: 0.2 },
      { event: 'fid', step: 2, fid: 12.5 },
      { step: 4, dLoss: 0.4 },
      { event: 'end', steps: 4, globalStep: 4, stopReason: 'steps', backend: 'cpu' },
      { event: 'begin', startStep: 5 },
      { step: 6, dLoss: 0.6 },
      { event: 'end', steps: 2, globalStep: 6, stopReason: 'steps', backend: 'cpu' },
    ]);
  });
});
