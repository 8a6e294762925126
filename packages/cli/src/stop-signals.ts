/** Ctrl-C (SIGINT) and `kill` (SIGTERM) as a request to stop between steps, shared by every long-running program. */

/** The signals that stop a run, with the exit code a process stopped by each reports (128 + the signal number). */
export const STOP_SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143 } as const;

/** A signal that stops a run: `SIGINT` (Ctrl-C) or `SIGTERM` (`kill PID`, `timeout`, process managers, Docker). */
export type StopSignalName = keyof typeof STOP_SIGNAL_EXIT_CODES;

/** Options of {@link listenForStopSignals}. */
export interface StopSignalOptions {
  /** Called on the first signal, before `signal` aborts (e.g. to say that the run is finishing its step). Default: nothing. */
  readonly onFirst?: (name: StopSignalName) => void;
  /** Ends the process on a second signal. Default `process.exit`. */
  readonly exit?: (code: number) => void;
}

/** What {@link listenForStopSignals} returns. */
export interface StopSignals {
  /** Aborted by the first SIGINT or SIGTERM; pass it to `Trainer.fit({ signal })`. */
  readonly signal: AbortSignal;
  /** The first signal received, or undefined while none came. */
  readonly received: StopSignalName | undefined;
  /** The exit code for the first signal received (130 SIGINT, 143 SIGTERM), or undefined while none came. */
  readonly exitCode: number | undefined;
  /** Stops listening (Node's default handling of both signals returns). */
  dispose(): void;
}

/**
 * Listens for SIGINT and SIGTERM: the first aborts `signal` so that training stops after the
 * current step and saves; a second (of either kind) ends the process at once with that signal's exit
 * code (130 for SIGINT, 143 for SIGTERM). Call `dispose()` when the run is over.
 */
export function listenForStopSignals(options: StopSignalOptions = {}): StopSignals {
  const controller = new AbortController();
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let received: StopSignalName | undefined;
  const handlers = (Object.keys(STOP_SIGNAL_EXIT_CODES) as StopSignalName[]).map((name) => {
    const handler = () => {
      if (received !== undefined) {
        exit(STOP_SIGNAL_EXIT_CODES[name]);
        return;
      }
      received = name;
      options.onFirst?.(name);
      controller.abort();
    };
    process.on(name, handler);
    return [name, handler] as const;
  });
  return {
    signal: controller.signal,
    get received() {
      return received;
    },
    get exitCode() {
      return received === undefined ? undefined : STOP_SIGNAL_EXIT_CODES[received];
    },
    dispose() {
      for (const [name, handler] of handlers) process.off(name, handler);
    },
  };
}
