import type { Db } from '../db/db';
import { AppError } from '../http/app-error';
import type { ProfileView } from './accounts.schema';
import { profileRow } from './accounts.repository';

/**
 * What anyone may know of a user: public names and counts of what the public can see (active
 * listings, published notes), each counted on its author index. Never the e-mail.
 */
export async function readProfile(db: Db, userId: string): Promise<ProfileView> {
  const row = await profileRow(db, userId);
  if (!row) throw AppError.notFound('user');
  return {
    id: row.id,
    displayName: row.displayName,
    country: row.country,
    accountType: row.brandName === null ? 'member' : 'brand',
    ...(row.brandName === null ? {} : { brandName: row.brandName }),
    createdAt: row.createdAt.toISOString(),
    listingsCount: Number(row.listingsCount),
    notesCount: Number(row.notesCount),
  };
}
