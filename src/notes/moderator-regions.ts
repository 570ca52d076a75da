import type { Db } from '../db/db';
import { AppError } from '../http/app-error';
import { hasRole, type AuthContext } from '../http/auth-context';
import { ModeratorRegionsRepository } from './moderator-regions.repository';

export interface ModeratorView {
  userId: string;
  displayName: string;
  /** The authors' countries this moderator decides for; empty: every country. */
  regions: string[];
}

/**
 * Which countries' notes (and glossary explanations) each moderator sees in the buffer and may
 * decide.
 */
export class ModeratorRegions {
  private readonly repository: ModeratorRegionsRepository;

  constructor(private readonly db: Db) {
    this.repository = new ModeratorRegionsRepository(db);
  }

  of(userId: string): Promise<string[]> {
    return this.repository.countriesOf(userId);
  }

  /** The authors' countries a viewer decides for; undefined for every country (admins, and moderators without regions). */
  async scopeOf(viewer: AuthContext): Promise<string[] | undefined> {
    if (hasRole(viewer, 'admin')) return undefined;
    const regions = await this.of(viewer.userId);
    return regions.length > 0 ? regions : undefined;
  }

  /** A moderator decides only for authors from their regions: 403 `outside_regions` otherwise. */
  async checkAuthor(
    regions: string[] | undefined,
    authorId: string,
    what: 'note' | 'explanation',
  ): Promise<void> {
    if (!regions) return;
    const country = await this.repository.countryOfAuthor(authorId);
    if (country === undefined || !regions.includes(country))
      throw AppError.forbidden(
        `This ${what}'s author is outside your regions (${regions.join(', ')}).`,
        'outside_regions',
      );
  }

  /** Replaces a moderator's regions; an empty list lifts the limit. */
  async assign(userId: string, regions: string[]): Promise<ModeratorView> {
    const found = await this.repository.findUser(userId);
    if (!found) throw AppError.notFound('user');
    if (!found.roles.split(',').includes('moderator'))
      throw AppError.conflict(
        'not_a_moderator',
        'Only a moderator can be given regions; grant the role first.',
      );
    const countries = [...new Set(regions.map((r) => r.toUpperCase()))].sort();
    await this.db.transaction((transaction) =>
      this.repository.replace(transaction, found.id, countries),
    );
    return { userId: found.id, displayName: found.displayName, regions: countries };
  }

  /** Every moderator with their regions, by id. */
  async list(): Promise<ModeratorView[]> {
    const rows = await this.repository.listModerators();
    return rows.map((row) => ({
      userId: row.userId,
      displayName: row.displayName,
      regions: row.regions ? row.regions.split(',') : [],
    }));
  }
}
