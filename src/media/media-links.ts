import type { Db } from '../db/db';
import type { Clock } from '../clock';
import type { Tx } from '../db/sql';
import { AppError } from '../http/app-error';
import { MediaRepository } from './media.repository';
import { isMediaId, type MediaView } from './media.schema';
import { variantUrls, type MediaStorage } from './media-storage';

/** A view that lists images: a listing, a note. */
interface WithImages {
  images: string[];
}

export type WithMedia<T extends WithImages> = T & { media: MediaView[] };

/**
 * How listings and notes use uploaded photos: `images` entries may be media ids, which must be
 * the author's own and are marked attached (so the purge job keeps them); views then show each
 * photo's variants.
 */
export class MediaLinks {
  private readonly repo: MediaRepository;

  constructor(
    db: Db,
    private readonly clock: Clock,
    private readonly storage: MediaStorage,
  ) {
    this.repo = new MediaRepository(db);
  }

  /**
   * In the caller's transaction: every media id among `refs` is a ready photo of `ownerId`
   * (else 400 naming `<param>.<index>`), and is marked attached. The rows stay locked until
   * the transaction ends, so the purge job cannot delete one in between.
   */
  async attach(ownerId: string, refs: readonly string[], transaction: Tx, param = 'images') {
    const ids = [...new Set(refs.filter(isMediaId))];
    if (ids.length === 0) return;
    const rows = await this.repo.readyAmong(ids, transaction, true);
    const owned = new Set(rows.filter((row) => row.ownerId === ownerId).map((row) => row.id));
    refs.forEach((ref, index) => {
      if (isMediaId(ref) && !owned.has(ref))
        throw AppError.invalid(
          'media_not_found',
          `${param}.${index}: no photo of yours has this id (photos not attached within a day are deleted).`,
          `${param}.${index}`,
        );
    });
    await this.repo.markAttached(ids, this.clock.now().toJSDate(), transaction);
  }

  /**
   * The views with their photos: `images` stays a list of URLs (a media id becomes its medium
   * variant, what pages show first) and `media` gives each uploaded photo's size and variants,
   * in the order of `images`. One query for all the views, none when no view has a media id.
   */
  async present<T extends WithImages>(views: T[]): Promise<Array<WithMedia<T>>> {
    const ids = [...new Set(views.flatMap((view) => view.images.filter(isMediaId)))];
    const rows = await this.repo.readyAmong(ids);
    const known = new Map(
      rows.map((row) => [
        row.id,
        {
          id: row.id,
          width: row.width,
          height: row.height,
          variants: variantUrls(this.storage, row.id),
        },
      ]),
    );
    return views.map((view) => {
      const media: MediaView[] = [];
      const images: string[] = [];
      for (const ref of view.images) {
        if (!isMediaId(ref)) {
          images.push(ref);
          continue;
        }
        const photo = known.get(ref);
        if (!photo) continue;
        media.push(photo);
        images.push(photo.variants.medium);
      }
      return { ...view, images, media };
    });
  }

  async presentOne<T extends WithImages>(view: T): Promise<WithMedia<T>> {
    const [presented] = await this.present([view]);
    return presented!;
  }
}
