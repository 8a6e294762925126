import { afterEach, describe, expect, it } from 'vitest';
import { listenForStopSignals, type StopSignals } from './stop-signals.js';

const open: StopSignals[] = [];
afterEach(() => open.splice(0).forEach((s) => s.dispose()));

describe('listenForStopSignals', () => {
  it.each([
    ['SIGINT', 130],
    ['SIGTERM', 143],
  ] as const)('the first %s aborts the signal and sets the exit code %i; a second one exits at once', (name, code) => {
    const exits: number[] = [];
    const firsts: string[] = [];
    const stop = listenForStopSignals({ onFirst: (n) => firsts.push(n), exit: (c) => void exits.push(c) });
    open.push(stop);
    expect(stop.signal.aborted).toBe(false);
    expect(stop.exitCode).toBeUndefined();
    process.emit(name);
    expect(stop.signal.aborted).toBe(true);
    expect(stop.received).toBe(name);
    expect(stop.exitCode).toBe(code);
    expect(firsts).toEqual([name]);
    expect(exits).toEqual([]);
    process.emit(name === 'SIGINT' ? 'SIGTERM' : 'SIGINT');
    expect(exits).toEqual([name === 'SIGINT' ? 143 : 130]);
    expect(stop.exitCode).toBe(code);
    expect(firsts).toEqual([name]);
  });

  it('dispose removes exactly its own listeners', () => {
    const before = [process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')];
    const stop = listenForStopSignals({ exit: () => undefined });
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual([before[0]! + 1, before[1]! + 1]);
    stop.dispose();
    expect([process.listenerCount('SIGINT'), process.listenerCount('SIGTERM')]).toEqual(before);
  });
});
