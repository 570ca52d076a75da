import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { newId } from '../ids';
import type { Logger } from '../logger';
import { ConcurrencyLimit } from './concurrency-limit';
import { probeImage, renderVariants, VARIANT_NAMES } from './media-image';
import { MediaRepository } from './media.repository';
import { lowerImageThreadsPriority } from './render-priority';
import type { MediaView } from './media.schema';
import {
  isMediaKey,
  variantKey,
  variantUrls,
  type MediaStorage,
  type StoredObject,
} from './media-storage';

export const PURGE_UNATTACHED_MEDIA = 'purge-unattached-media';
/** Media not attached to a listing or note within this long is deleted. */
export const UNATTACHED_TTL_HOURS = 24;
const PURGE_BATCH = 200;
const MAX_QUEUED_RENDERS = 32;

export interface MediaSettings {
  /** Photos resized at once; the others wait their turn. */
  concurrency: number;
}

/** Members' photos: checked, resized to WebP variants without metadata, stored, swept. */
export class MediaService {
  private readonly repo: MediaRepository;
  private readonly renders: ConcurrencyLimit;

  constructor(
    db: Db,
    private readonly clock: Clock,
    readonly storage: MediaStorage,
    settings: MediaSettings,
    private readonly logger: Logger,
  ) {
    this.repo = new MediaRepository(db);
    // Each render holds a libuv thread; queued ones hold their upload (at most 15 MB) in memory:
    // both bounded, the queue at 32 photos (under 500 MB) beyond which uploads get 503.
    this.renders = new ConcurrencyLimit(settings.concurrency, MAX_QUEUED_RENDERS);
  }

  /**
   * One upload: the header is checked first (type, pixels), then the row is written as
   * `processing`, the variants rendered and stored, and the row marked `ready`. Whatever
   * fails removes what was written, so a refused photo leaves no file and no row; a process
   * that dies half-way leaves a `processing` row the purge job clears with its files.
   */
  async upload(ownerId: string, bytes: Buffer): Promise<MediaView> {
    const probe = await probeImage(bytes);
    const now = this.clock.now().toJSDate();
    const id = newId('med', now.getTime());
    await this.repo.insertProcessing({
      id,
      ownerId,
      format: probe.format,
      bytes: bytes.length,
      width: probe.width,
      height: probe.height,
      createdAt: now,
    });
    try {
      const variants = await this.renders.run(async () => {
        lowerImageThreadsPriority();
        try {
          return await renderVariants(bytes, probe);
        } finally {
          lowerImageThreadsPriority();
        }
      });
      // Every write settles before any cleanup, so none lands after its file was removed.
      const writes = await Promise.allSettled(
        variants.map((variant) =>
          this.storage.put(variantKey(id, variant.name), variant.data, 'image/webp'),
        ),
      );
      const failed = writes.find((write) => write.status === 'rejected');
      if (failed) throw failed.reason as Error;
      await this.repo.markReady(id);
    } catch (error) {
      await this.remove(id).catch((cleanup: unknown) =>
        this.logger.warn({ err: cleanup, mediaId: id }, 'failed upload not cleaned up'),
      );
      throw error;
    }
    return {
      id,
      width: probe.width,
      height: probe.height,
      variants: variantUrls(this.storage, id),
    };
  }

  /** A variant to serve; null for any key this feature did not write. */
  open(key: string): Promise<StoredObject | null> {
    return isMediaKey(key) ? this.storage.open(key) : Promise.resolve(null);
  }

  /**
   * Deletes media nobody attached within UNATTACHED_TTL_HOURS: the row is claimed first (an
   * attach that got there before keeps it), then the files go, then the row. A run that fails
   * between leaves a claimed row the next run finishes. Answers how many were deleted.
   */
  async purgeUnattached(): Promise<number> {
    const cutoff = this.clock.now().minus({ hours: UNATTACHED_TTL_HOURS }).toJSDate();
    let purged = 0;
    for (;;) {
      const batch = await this.repo.unattachedBefore(cutoff, PURGE_BATCH);
      for (const { id } of batch) {
        if (!(await this.repo.claimForDeletion(id))) continue;
        await this.remove(id);
        purged += 1;
      }
      if (batch.length < PURGE_BATCH) return purged;
    }
  }

  private async remove(id: string): Promise<void> {
    await this.storage.delete(VARIANT_NAMES.map((name) => variantKey(id, name)));
    await this.repo.delete(id);
  }
}
