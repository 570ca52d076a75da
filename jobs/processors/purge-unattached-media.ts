import type { MediaService } from '../../src/media/media.service';

/** Deletes photos (files and rows) that no listing or note took within a day of upload. */
export function purgeUnattachedMedia(media: MediaService) {
  return async (): Promise<{ purged: number }> => ({ purged: await media.purgeUnattached() });
}
