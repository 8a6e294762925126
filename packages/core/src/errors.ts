/**
 * Typed errors thrown by aigc. Every error extends {@link AigcError}; use the static
 * `isInstance` checks rather than `instanceof` so errors stay recognisable when two copies of
 * the package are installed.
 */

const MARKER = Symbol.for('aigc.error');

/** Base class of every error aigc throws; `code` is a stable machine-readable name. */
export class AigcError extends Error {
  /** Stable identifier of the failure kind, e.g. `'INVALID_DATA'`. */
  readonly code: string;
  private readonly [MARKER] = true;

  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.name = new.target.name;
  }

  /** True for any aigc error, from this or another copy of the package. */
  static isInstance(error: unknown): error is AigcError {
    return typeof error === 'object' && error !== null && (error as Record<symbol, unknown>)[MARKER] === true;
  }
}

function hasCode(error: unknown, code: string): boolean {
  return AigcError.isInstance(error) && error.code === code;
}

/** A compute backend could not be found, installed or initialized. */
export class BackendUnavailableError extends AigcError {
  /** The backend name that was asked for. */
  readonly backend: string;
  constructor(backend: string, message: string, options?: { cause?: unknown }) {
    super('BACKEND_UNAVAILABLE', message, options);
    this.backend = backend;
  }
  /** True for a BackendUnavailableError from any copy of the package. */
  static override isInstance(error: unknown): error is BackendUnavailableError {
    return hasCode(error, 'BACKEND_UNAVAILABLE');
  }
}

/** Input data (images, labels, IDX or gzip files) is malformed or unusable. */
export class InvalidDataError extends AigcError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('INVALID_DATA', message, options);
  }
  /** True for an InvalidDataError from any copy of the package. */
  static override isInstance(error: unknown): error is InvalidDataError {
    return hasCode(error, 'INVALID_DATA');
  }
}

/** A configuration value or function argument is out of range or of the wrong type. */
export class InvalidArgumentError extends AigcError {
  /** Name of the offending option or argument. */
  readonly argument: string;
  constructor(argument: string, message: string, options?: { cause?: unknown }) {
    super('INVALID_ARGUMENT', message, options);
    this.argument = argument;
  }
  /** True for an InvalidArgumentError from any copy of the package. */
  static override isInstance(error: unknown): error is InvalidArgumentError {
    return hasCode(error, 'INVALID_ARGUMENT');
  }
}

/**
 * An options object has a key the function does not know (a typo, or an option of another
 * function). `suggestion` is the nearest valid key; `allowed` lists them all.
 */
export class UnknownOptionError extends InvalidArgumentError {
  /** The function or option group that was called, e.g. `'r1Penalty'`. */
  readonly where: string;
  /** The valid key closest to the unknown one (edit distance). */
  readonly suggestion: string | undefined;
  /** Every key the function accepts. */
  readonly allowed: readonly string[];
  constructor(where: string, key: string, suggestion: string | undefined, allowed: readonly string[]) {
    super(
      key,
      `${where}: unknown option "${key}".${suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`} ` +
        `Valid options: ${allowed.length ? allowed.join(', ') : '(none)'}.`,
    );
    this.where = where;
    this.suggestion = suggestion;
    this.allowed = allowed;
  }
  /** True for an UnknownOptionError from any copy of the package. */
  static override isInstance(error: unknown): error is UnknownOptionError {
    return InvalidArgumentError.isInstance(error) && error.name === 'UnknownOptionError';
  }
}

/** Two tensors or models that must fit together have incompatible shapes. */
export class ShapeMismatchError extends AigcError {
  /** The shape that was expected. */
  readonly expected: ReadonlyArray<number | null>;
  /** The shape that was found. */
  readonly actual: ReadonlyArray<number | null>;
  constructor(message: string, expected: ReadonlyArray<number | null>, actual: ReadonlyArray<number | null>) {
    super('SHAPE_MISMATCH', message);
    this.expected = expected;
    this.actual = actual;
  }
  /** True for a ShapeMismatchError from any copy of the package. */
  static override isInstance(error: unknown): error is ShapeMismatchError {
    return hasCode(error, 'SHAPE_MISMATCH');
  }
}

/** A saved model or checkpoint on disk is missing, corrupted, hostile or of another format version. */
export class ModelFormatError extends AigcError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('MODEL_FORMAT', message, options);
  }
  /** True for a ModelFormatError from any copy of the package. */
  static override isInstance(error: unknown): error is ModelFormatError {
    return hasCode(error, 'MODEL_FORMAT');
  }
}

/** A download failed, was refused, or exceeded its size cap. */
export class DownloadError extends AigcError {
  /** The URL that failed. */
  readonly url: string;
  constructor(url: string, message: string, options?: { cause?: unknown }) {
    super('DOWNLOAD_FAILED', message, options);
    this.url = url;
  }
  /** True for a DownloadError from any copy of the package. */
  static override isInstance(error: unknown): error is DownloadError {
    return hasCode(error, 'DOWNLOAD_FAILED');
  }
}

/** Training produced a non-finite loss or weight; the last good weights were kept. */
export class TrainingDivergedError extends AigcError {
  /** The step (1-based) at which divergence was detected. */
  readonly step: number;
  constructor(step: number, message: string) {
    super('TRAINING_DIVERGED', message);
    this.step = step;
  }
  /** True for a TrainingDivergedError from any copy of the package. */
  static override isInstance(error: unknown): error is TrainingDivergedError {
    return hasCode(error, 'TRAINING_DIVERGED');
  }
}
