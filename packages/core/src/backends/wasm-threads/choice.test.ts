/** The thread choice of wasmBackend(): the auto rule on injected core counts and loads, the env variable, precedence. */
import { describe, expect, it } from 'vitest';
import { InvalidArgumentError } from '../../errors.js';
import { wasmBackend } from '../wasm.js';
import { readFileSync } from 'node:fs';
import * as os from 'node:os';
import { AUTO_MIN_FREE_CORES, autoThreads, busyCores, parseThreadsEnv, threadProbe, threadsSetting, WASM_THREADS_ENV } from './choice.js';

describe('the auto rule', () => {
  it.each([
    // cores, load, threads
    [1, 0, 1],
    [1, 3, 1],
    [2, 0, 2],
    [2, 0.5, 2],
    [2, 0.51, 1],
    [2, 1, 1],
    [2, 7.8, 1],
    [4, 0, 4],
    [4, 1.2, 3],
    [4, 2.4, 2],
    [4, 2.6, 1],
    [16, 0, 8],
    [16, 9.7, 6],
    [2, -1, 2],
  ])('%i cores at load %f: %i thread(s)', (cores, load, threads) => {
    const d = autoThreads({ cores, load });
    expect(d.threads).toBe(threads);
    expect(d.reason).toMatch(/^auto: /);
    if (cores === 1) expect(d.reason).toContain('1 core available');
    else if (threads === 1) expect(d.reason).toContain(`threads need ${AUTO_MIN_FREE_CORES}`);
  });

  it('takes the lower of the load average and the cores busy now (the average lags after work ends)', () => {
    // A build just ended: the average still says 1.6, but nothing runs now.
    expect(autoThreads({ cores: 2, load: 1.6, busy: 0.05 })).toEqual({ threads: 2, reason: 'auto: 1.95 of 2 cores free (load average 1.60, 0.05 cores busy now)' });
    // Busy now and over the last minute.
    expect(autoThreads({ cores: 2, load: 1.9, busy: 1.7 }).threads).toBe(1);
    // Something started a moment ago: the average has not caught up, and the lower figure decides.
    expect(autoThreads({ cores: 2, load: 0.1, busy: 1.8 }).threads).toBe(2);
    expect(autoThreads({ cores: 8, load: 6, busy: 2.4 }).threads).toBe(6);
  });

  it('measures busy cores from /proc/stat, or says nothing where it cannot', async () => {
    const fake = (texts: string[]) => {
      let i = 0;
      return { readFileSync: () => texts[Math.min(i++, texts.length - 1)]! };
    };
    // 2 cpus; between the reads 100 jiffies pass, 50 of them idle: 0.5 of the machine, 1 core, busy.
    const stat = (user: number, idle: number) => `cpu  ${user} 0 0 ${idle} 0 0 0 0 0 0\ncpu0 0 0 0 0\ncpu1 0 0 0 0\nintr 1\n`;
    expect(await busyCores(fake([stat(100, 100), stat(150, 150)]), 1)).toBeCloseTo(1, 10);
    expect(await busyCores(fake([stat(100, 100), stat(100, 200)]), 1)).toBe(0);
    expect(await busyCores(undefined, 1)).toBeUndefined();
    expect(await busyCores({ readFileSync: () => { throw new Error('ENOENT'); } }, 1)).toBeUndefined();
    expect(await busyCores(fake(['garbage']), 1)).toBeUndefined();
    let procStat = false;
    try {
      procStat = readFileSync('/proc/stat', 'utf8').startsWith('cpu ');
    } catch {
      procStat = false;
    }
    const real = await threadProbe.node(os);
    expect(real.cores).toBe(os.availableParallelism());
    expect(real.load).toBeGreaterThanOrEqual(0);
    if (procStat) {
      expect(real.busy).toBeGreaterThanOrEqual(0);
      expect(real.busy).toBeLessThanOrEqual(os.cpus().length + 1e-9);
    } else {
      expect(real.busy).toBeUndefined();
    }
  });

  it('says what it saw', () => {
    expect(autoThreads({ cores: 2, load: 0.12 }).reason).toBe('auto: 1.88 of 2 cores free (load average 0.12)');
    expect(autoThreads({ cores: 2, load: 1.8 }).reason).toBe('auto: load average 1.80 leaves 0.20 of 2 cores free (threads need 1.5)');
  });
});

describe(`${WASM_THREADS_ENV} and precedence`, () => {
  it('parses the variable', () => {
    expect(parseThreadsEnv(undefined)).toBeUndefined();
    expect(parseThreadsEnv('')).toBeUndefined();
    expect(parseThreadsEnv(' Auto ')).toBe('auto');
    expect(parseThreadsEnv('true')).toBe(true);
    expect(parseThreadsEnv('on')).toBe(true);
    expect(parseThreadsEnv('FALSE')).toBe(false);
    expect(parseThreadsEnv('off')).toBe(false);
    expect(parseThreadsEnv('1')).toBe(1);
    expect(parseThreadsEnv('4')).toBe(4);
    for (const bad of ['0', '-2', '1.5', 'yes', '2 threads']) {
      expect(() => parseThreadsEnv(bad)).toThrow(InvalidArgumentError);
      expect(() => parseThreadsEnv(bad)).toThrow(/Set it to auto, true, false or a positive integer, or unset it/);
    }
  });

  it('an explicit option wins over the variable, which wins over the default', () => {
    expect(threadsSetting(undefined, undefined)).toEqual({ setting: 'auto', source: 'default' });
    expect(threadsSetting('auto', undefined)).toEqual({ setting: 'auto', source: 'option' });
    expect(threadsSetting(undefined, 'false')).toEqual({ setting: false, source: 'env' });
    expect(threadsSetting('auto', '2')).toEqual({ setting: 2, source: 'env' });
    expect(threadsSetting(false, '2')).toEqual({ setting: false, source: 'option' });
    expect(threadsSetting(3, 'false')).toEqual({ setting: 3, source: 'option' });
  });

  it('wasmBackend() checks the option when called', () => {
    for (const bad of [0, 1.5, 'yes']) {
      expect(() => wasmBackend({ threads: bad as never })).toThrow(InvalidArgumentError);
      expect(() => wasmBackend({ threads: bad as never })).toThrow(/must be 'auto', true, false or a positive integer/);
    }
    expect(wasmBackend({ threads: 'auto' }).name).toBe('wasm');
    expect(wasmBackend().info?.()).toBeUndefined();
  });

  it('the fast suite pins the default wasm backend to one thread (vitest.workspace.ts)', (ctx) => {
    const value = process.env[WASM_THREADS_ENV];
    if (value !== undefined && value !== 'false') {
      console.log(`skipped: ${WASM_THREADS_ENV}=${value} was set by the caller, which overrides the suite's pin`);
      ctx.skip();
    }
    expect(value).toBe('false');
  });
});
