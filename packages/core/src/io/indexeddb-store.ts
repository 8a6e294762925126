/**
 * A {@link CheckpointStore} on IndexedDB, for browsers (pages and workers): a location is a key,
 * and each checkpoint is one record written in one transaction, so a reader sees the old or the new one.
 */
import { InvalidArgumentError, ModelFormatError } from '../errors.js';
import type { CheckpointArray, CheckpointState, CheckpointStore, TrainerCheckpoint } from '../training/checkpoint-types.js';
import { CHECKPOINT_FORMAT, checkCheckpointHeader, consistentArraySpec, packArrays, type ArraySpec } from './checkpoint-layout.js';

const OBJECT_STORE = 'checkpoints';

/** What one IndexedDB record holds: the arrays back to back in one buffer (one large value is much faster to store than many). */
interface CheckpointRecord {
  format: typeof CHECKPOINT_FORMAT;
  formatVersion: number;
  savedAt: string;
  state: CheckpointState;
  arrays: ArraySpec[];
  bytes: ArrayBuffer;
}

/** Options of {@link indexedDbCheckpointStore}. */
export interface IndexedDbCheckpointStoreOptions {
  /** The IndexedDB factory to use. Default: `globalThis.indexedDB` (pages and workers). */
  readonly indexedDB?: IDBFactory;
}

/** The IndexedDB checkpoint store: the {@link CheckpointStore} methods plus listing, deleting and closing. */
export interface IndexedDbCheckpointStore extends CheckpointStore {
  /** The IndexedDB database name. */
  readonly databaseName: string;
  /** The saved locations, sorted. */
  list(): Promise<string[]>;
  /** The saved step of the checkpoint at `location` and when it was saved, or undefined when there is none (does not validate the arrays). */
  info(location: string): Promise<{ readonly globalStep: number; readonly savedAt: string } | undefined>;
  /** Removes the checkpoint at `location` (nothing happens when there is none). */
  delete(location: string): Promise<void>;
  /** Closes the database connection; the next call opens it again. */
  close(): void;
}

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function done(tx: IDBTransaction): Promise<void> {
  return new Promise((resolve, reject) => {
    tx.oncomplete = () => resolve();
    tx.onerror = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction aborted (is the storage quota exceeded?)'));
  });
}

function checkLocation(location: unknown): string {
  if (typeof location !== 'string' || location.length === 0) {
    throw new InvalidArgumentError('location', `A checkpoint location must be a non-empty string (an IndexedDB key), got ${JSON.stringify(location)}.`);
  }
  return location;
}

function validate(where: string, value: unknown): TrainerCheckpoint {
  const fail = (what: string): never => {
    throw new ModelFormatError(`Cannot resume from ${where}: ${what}`);
  };
  checkCheckpointHeader(value, 'the record is not an aigc trainer checkpoint. Pass the location that trainer.save() wrote.', fail);
  const record = value as Partial<CheckpointRecord>;
  if (typeof record.state !== 'object' || record.state === null || !Array.isArray(record.arrays)) {
    fail('the record lacks its state or array list; it is corrupted. Delete it and train again, or resume from another location.');
  }
  if (!(record.bytes instanceof ArrayBuffer)) fail('the record lacks its array values; it is corrupted. Delete it and train again, or resume from another location.');
  const total = (record.bytes as ArrayBuffer).byteLength;
  const arrays: CheckpointArray[] = (record.arrays as unknown[]).map((entry) => {
    const spec =
      consistentArraySpec(entry, total, true) ??
      fail(`the entry of ${JSON.stringify((entry as { name?: unknown } | null)?.name)} is inconsistent (dtype, shape and size disagree); the checkpoint is corrupted. Delete it and train again.`);
    const values = spec.dtype === 'float32'
      ? new Float32Array(record.bytes as ArrayBuffer, spec.offset, spec.bytes / 4)
      : new Int32Array(record.bytes as ArrayBuffer, spec.offset, spec.bytes / 4);
    return { name: spec.name, dtype: spec.dtype, shape: [...spec.shape], data: values };
  });
  return { formatVersion: record.formatVersion as number, state: record.state as CheckpointState, arrays };
}

/**
 * Opens (lazily, on first use) the IndexedDB database `databaseName` (default `'aigc-checkpoints'`)
 * as a checkpoint store: `trainer.save('run-1', { store })` and `Trainer.resume('run-1', { store })`.
 * Fails with `InvalidArgumentError` where there is no IndexedDB (Node: use the filesystem store).
 */
export function indexedDbCheckpointStore(
  databaseName = 'aigc-checkpoints',
  options: IndexedDbCheckpointStoreOptions = {},
): IndexedDbCheckpointStore {
  let opening: Promise<IDBDatabase> | undefined;
  const open = (): Promise<IDBDatabase> => {
    if (opening !== undefined) return opening;
    const factory = options.indexedDB ?? (globalThis as { indexedDB?: IDBFactory }).indexedDB;
    if (factory === undefined) {
      return Promise.reject(
        new InvalidArgumentError('indexedDB', 'There is no IndexedDB here; in Node, save checkpoints with the filesystem store of "@aigc/core/node".'),
      );
    }
    const req = factory.open(databaseName, 1);
    req.onupgradeneeded = () => {
      if (!req.result.objectStoreNames.contains(OBJECT_STORE)) req.result.createObjectStore(OBJECT_STORE);
    };
    opening = request(req).then((db) => {
      // Another tab upgrading the database: let it, and reopen on the next call.
      db.onversionchange = () => {
        db.close();
        opening = undefined;
      };
      return db;
    });
    opening.catch(() => (opening = undefined));
    return opening;
  };
  const where = (location: string) => `IndexedDB "${databaseName}", key "${location}"`;
  const get = async (location: string): Promise<unknown> => {
    const db = await open();
    return request(db.transaction(OBJECT_STORE, 'readonly').objectStore(OBJECT_STORE).get(location));
  };

  return {
    databaseName,
    async write(location, checkpoint) {
      checkLocation(location);
      const { bytes, specs } = packArrays(checkpoint.arrays);
      const record: CheckpointRecord = {
        format: CHECKPOINT_FORMAT,
        formatVersion: checkpoint.formatVersion,
        savedAt: new Date().toISOString(),
        state: checkpoint.state,
        arrays: specs,
        bytes: bytes.buffer,
      };
      const db = await open();
      const tx = db.transaction(OBJECT_STORE, 'readwrite', { durability: 'strict' });
      const finished = done(tx);
      tx.objectStore(OBJECT_STORE).put(record, location);
      await finished;
    },
    async read(location) {
      checkLocation(location);
      const value = await get(location);
      if (value === undefined) {
        throw new ModelFormatError(`Cannot resume from ${where(location)}: there is no checkpoint there. Save one first with trainer.save(location, { store }).`);
      }
      return validate(where(location), value);
    },
    async list() {
      const db = await open();
      const keys = await request(db.transaction(OBJECT_STORE, 'readonly').objectStore(OBJECT_STORE).getAllKeys());
      return keys.map(String).sort();
    },
    async info(location) {
      checkLocation(location);
      const value = (await get(location)) as Partial<CheckpointRecord> | undefined;
      if (value === undefined) return undefined;
      const step = value.state?.globalStep;
      if (typeof step !== 'number' || typeof value.savedAt !== 'string') {
        throw new ModelFormatError(`The checkpoint at ${where(location)} has no step or save time; it is corrupted. Delete it and train again.`);
      }
      return { globalStep: step, savedAt: value.savedAt };
    },
    async delete(location) {
      checkLocation(location);
      const db = await open();
      const tx = db.transaction(OBJECT_STORE, 'readwrite');
      const finished = done(tx);
      tx.objectStore(OBJECT_STORE).delete(location);
      await finished;
    },
    close() {
      const current = opening;
      opening = undefined;
      void current?.then((db) => db.close(), () => undefined);
    },
  };
}
