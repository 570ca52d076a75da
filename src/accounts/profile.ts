import type { Sequelize } from 'sequelize';
import { selectOne } from '../db/sql';
import { AppError } from '../http/app-error';
import type { ProfileView } from './accounts.schema';

interface ProfileRow {
  id: string;
  displayName: string;
  country: string;
  brandName: string | null;
  createdAt: Date;
  listingsCount: number | string;
  notesCount: number | string;
}

/**
 * What anyone may know of a user: public names and counts of what the public can see (active
 * listings, published notes), each counted on its author index. Never the e-mail.
 */
export async function readProfile(sequelize: Sequelize, userId: string): Promise<ProfileView> {
  const row = await selectOne<ProfileRow>(
    sequelize,
    `SELECT u.id, u.display_name AS displayName, u.country, b.name AS brandName, u.created_at AS createdAt,
            (SELECT COUNT(*) FROM listings l WHERE l.seller_id = u.id AND l.status = 'active') AS listingsCount,
            (SELECT COUNT(*) FROM notes n WHERE n.author_id = u.id AND n.status = 'published') AS notesCount
       FROM users u LEFT JOIN brands b ON b.id = u.brand_id
      WHERE u.id = ?`,
    [userId],
  );
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
