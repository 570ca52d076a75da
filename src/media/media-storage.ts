import type { Readable } from 'node:stream';
import { VARIANT_NAMES, type VariantName } from './media-image';

/** A stored object, opened for reading. */
export interface StoredObject {
  /** Destroy it when not read to the end (a 304, a HEAD): that releases the file or socket. */
  body: Readable;
  size: number;
  contentType: string;
  /** A strong validator, quoted as the ETag header wants it. */
  etag: string;
}

/**
 * Where variants live. Keys are `<mediaId>/<variant>.webp`, written once and never changed, so
 * they may be cached forever. A put is all or nothing: no reader ever sees half an object.
 */
export interface MediaStorage {
  put(key: string, data: Buffer, contentType: string): Promise<void>;
  /** Null when there is no such object. */
  open(key: string): Promise<StoredObject | null>;
  /** Deleting what does not exist is not an error. */
  delete(keys: string[]): Promise<void>;
  /** The URL clients fetch the object from. */
  url(key: string): string;
}

/** Keys never change once written: caches may keep them for a year without asking again. */
export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';

const KEY_PATTERN = /^med_[0-9a-hjkmnp-tv-z]{26}\/(thumb|medium|full)\.webp$/;

/** Only keys this feature writes are ever read or deleted: nothing else can name a path. */
export function isMediaKey(key: string): boolean {
  return KEY_PATTERN.test(key);
}

export function variantKey(mediaId: string, variant: string): string {
  return `${mediaId}/${variant}.webp`;
}

export function variantUrls(storage: MediaStorage, id: string): Record<VariantName, string> {
  return Object.fromEntries(
    VARIANT_NAMES.map((name) => [name, storage.url(variantKey(id, name))]),
  ) as Record<VariantName, string>;
}
