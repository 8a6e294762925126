/**
 * What the page keeps in IndexedDB besides the trainer checkpoint (which goes through
 * `indexedDbCheckpointStore` of `@aigc/core`): your cleaned pictures (8-bit, so a reload does not
 * need the files again) and the saved run's settings and chart history.
 */
import { indexedDbCheckpointStore } from '@aigc/core';
import type { CleaningSummary, SavedRun } from './protocol.js';

const DB = 'aigc-page';
const STORE = 'session';

/** The checkpoint store of the page, and the key of its one run. */
export const checkpoints = indexedDbCheckpointStore('aigc-page-checkpoints');
/** The location of the page's run in {@link checkpoints}. */
export const RUN_KEY = 'run';

/** Your pictures as kept in IndexedDB. */
export interface StoredPictures {
  readonly pixels: Uint8Array;
  readonly imageShape: readonly [number, number, number];
  readonly summary: CleaningSummary;
}

let opening: Promise<IDBDatabase> | undefined;

function open(): Promise<IDBDatabase> {
  opening ??= new Promise<IDBDatabase>((resolve, reject) => {
    const req = indexedDB.open(DB, 1);
    req.onupgradeneeded = () => req.result.createObjectStore(STORE);
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB is not available (private window?).'));
  });
  opening.catch(() => (opening = undefined));
  return opening;
}

async function tx<T>(mode: IDBTransactionMode, body: (store: IDBObjectStore) => IDBRequest<T> | void): Promise<T | undefined> {
  const db = await open();
  return new Promise((resolve, reject) => {
    const t = db.transaction(STORE, mode);
    const req = body(t.objectStore(STORE));
    t.oncomplete = () => resolve(req ? req.result : undefined);
    t.onerror = () => reject(t.error ?? new Error('IndexedDB transaction failed'));
    t.onabort = () => reject(t.error ?? new Error('IndexedDB transaction aborted (is the storage quota exceeded?)'));
  });
}

/** Reads a value, or undefined. */
export async function load<T>(key: 'pictures' | 'run'): Promise<T | undefined> {
  return (await tx('readonly', (s) => s.get(key))) as T | undefined;
}

/** Writes the pictures (replacing earlier ones). */
export async function savePictures(value: StoredPictures): Promise<void> {
  await tx('readwrite', (s) => void s.put(value, 'pictures'));
}

/** Writes the run record; call after the checkpoint of the same step is written. */
export async function saveRun(value: SavedRun): Promise<void> {
  await tx('readwrite', (s) => void s.put(value, 'run'));
}

/** Forgets the saved run (its record and its checkpoint); the pictures stay. */
export async function forgetRun(): Promise<void> {
  await tx('readwrite', (s) => void s.delete('run'));
  await checkpoints.delete(RUN_KEY);
}
