import type { Db } from '../db/db';
import type { Clock } from '../clock';
import { AppError } from '../http/app-error';
import { decodeCursor, pageOf } from '../http/cursor';
import { newId } from '../ids';
import type { MediaLinks } from '../media';
import { ListingSearchRepository } from './listing-search.repository';
import { ListingsRepository, type ListingRow, type NewListing } from './listings.repository';
import type {
  BrowseQuery,
  CreateListingInput,
  ListingView,
  OwnListingsQuery,
  PatchListingInput,
} from './listings.schema';
import { planSearch } from '../search/search-plan';
import { queryTokens } from '../search/search-tokens';

export function toListingView(row: ListingRow): Omit<ListingView, 'media'> {
  return {
    id: row.id,
    sellerId: row.sellerId,
    sellerName: row.sellerName,
    title: row.title,
    description: row.description,
    priceAmount: row.priceAmount,
    currency: row.currency,
    quantity: row.quantity,
    category: row.category,
    condition: row.condition,
    images: JSON.parse(row.images) as string[],
    shipsTo: JSON.parse(row.shipsTo) as string[],
    status: row.status,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    drop:
      row.dropId && row.dropStatus && row.dropStartsAt && row.dropEndsAt
        ? {
            id: row.dropId,
            status: row.dropStatus,
            startsAt: row.dropStartsAt,
            endsAt: row.dropEndsAt,
          }
        : null,
  };
}

/** Sellers' listings: free to create, searchable in any language, archived rather than deleted. */
export class ListingsService {
  private readonly repo: ListingsRepository;
  private readonly search: ListingSearchRepository;

  constructor(
    private readonly db: Db,
    private readonly clock: Clock,
    private readonly media: MediaLinks,
  ) {
    this.repo = new ListingsRepository(db);
    this.search = new ListingSearchRepository(db);
  }

  async create(sellerId: string, input: CreateListingInput): Promise<ListingView> {
    const now = this.clock.now().toJSDate();
    const shipsTo = [...new Set(input.shipsTo ?? [])];
    const row: NewListing = {
      id: newId('lst', now.getTime()),
      sellerId,
      title: input.title,
      description: input.description,
      priceAmount: input.priceAmount,
      currency: input.currency,
      quantity: input.quantity,
      category: input.category,
      condition: input.condition,
      images: JSON.stringify(input.images ?? []),
      shipsTo: JSON.stringify(shipsTo),
      status: 'active',
      createdAt: now,
      updatedAt: now,
    };
    // The listing and its search and ship-to index rows are written together.
    await this.db.transaction(async (transaction) => {
      await this.media.attach(sellerId, input.images ?? [], transaction);
      await this.repo.insert(row, transaction);
      await this.search.index(row.id, input, shipsTo, transaction);
    });
    return this.get(row.id, sellerId);
  }

  /** Public; an archived listing is visible to its seller only. */
  async get(id: string, viewerId?: string): Promise<ListingView> {
    const row = await this.repo.find(id);
    if (!row || (row.status === 'archived' && row.sellerId !== viewerId))
      throw AppError.notFound('listing');
    return this.media.presentOne(toListingView(row));
  }

  async browse(query: BrowseQuery) {
    const afterId = decodeCursor(query.cursor);
    const tokens = queryTokens(query.q ?? '');
    // One word (the usual search) in one round trip, when it is the one token it starts.
    if (tokens.length === 1 && tokens[0]!.isPrefix) {
      const word = tokens[0]!.token;
      const found = await this.repo.browseWord(query, word, afterId, query.limit + 1);
      if (found.terms.length === 0) return { data: [], nextCursor: null };
      if (found.terms.length === 1 && found.terms[0] === word)
        return this.page(found.rows, query.limit);
    }
    const search = await planSearch(query.q ?? '', this.search);
    if (search === null) return { data: [], nextCursor: null };
    return this.page(await this.repo.browse(query, search, afterId, query.limit + 1), query.limit);
  }

  /** The seller's own listings, whatever their status. */
  async listOwn(sellerId: string, query: OwnListingsQuery) {
    const rows = await this.repo.listOwn(
      sellerId,
      query.status,
      decodeCursor(query.cursor),
      query.limit + 1,
    );
    return this.page(rows, query.limit);
  }

  /** A page of listings with their photos. */
  private async page(rows: ListingRow[], limit: number) {
    const page = pageOf(rows, limit, toListingView);
    return { ...page, data: await this.media.present(page.data) };
  }

  async update(sellerId: string, id: string, input: PatchListingInput): Promise<ListingView> {
    const current = await this.owned(sellerId, id);
    if (current.status === 'archived')
      throw AppError.conflict('listing_archived', 'An archived listing cannot be changed.');
    const fields: Record<string, unknown> = { updated_at: this.clock.now().toJSDate() };
    const columns: Record<string, string> = {
      title: 'title',
      description: 'description',
      priceAmount: 'price_amount',
      quantity: 'quantity',
      category: 'category',
      condition: 'item_condition',
      status: 'status',
    };
    for (const [key, column] of Object.entries(columns)) {
      const value = input[key as keyof PatchListingInput];
      if (value !== undefined) fields[column] = value;
    }
    if (input.images) fields.images = JSON.stringify(input.images);
    const shipsTo = input.shipsTo ? [...new Set(input.shipsTo)] : null;
    if (shipsTo) {
      fields.ships_to = JSON.stringify(shipsTo);
      fields.ships_worldwide = shipsTo.length === 0 ? 1 : 0;
    }
    await this.db.transaction(async (transaction) => {
      if (input.images) await this.media.attach(sellerId, input.images, transaction);
      if ((await this.repo.update(id, fields, transaction)) !== 1)
        throw AppError.conflict('listing_archived', 'An archived listing cannot be changed.');
      if (input.title !== undefined || input.description !== undefined || shipsTo) {
        await this.search.index(
          id,
          {
            title: input.title ?? current.title,
            description: input.description ?? current.description,
          },
          shipsTo,
          transaction,
        );
      } else if (
        input.status !== undefined ||
        input.category !== undefined ||
        input.condition !== undefined ||
        input.priceAmount !== undefined
      ) {
        // Rewriting the tokens above copies the filters too; otherwise they are copied here.
        await this.search.copyFilters(id, transaction);
      }
    });
    return this.get(id, sellerId);
  }

  /** Archives: orders keep pointing at it, browsing no longer shows it. */
  async archive(sellerId: string, id: string): Promise<ListingView> {
    await this.owned(sellerId, id);
    await this.db.transaction(async (transaction) => {
      await this.repo.update(
        id,
        { status: 'archived', updated_at: this.clock.now().toJSDate() },
        transaction,
      );
      await this.search.copyFilters(id, transaction);
    });
    return this.get(id, sellerId);
  }

  private async owned(sellerId: string, id: string): Promise<ListingRow> {
    const row = await this.repo.find(id);
    if (!row || (row.status === 'archived' && row.sellerId !== sellerId))
      throw AppError.notFound('listing');
    if (row.sellerId !== sellerId)
      throw AppError.forbidden('Only the seller can change this listing.');
    return row;
  }
}
