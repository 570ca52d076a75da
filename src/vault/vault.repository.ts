import type mysql from 'mysql2/promise';
import { newId } from '../ids';
import { VaultCore, type Access, type PostalAddress, type Row } from './vault-core';

/**
 * The data vault: the only module that reads or writes the vault database, where members of
 * VAULT_COUNTRIES keep their email and shipping addresses. Every read is written to the
 * vault's access log (who, what, why) before the data leaves.
 */
export class Vault extends VaultCore {
  /** Keeps (or replaces) a member's email. */
  async putEmail(userId: string, email: string): Promise<void> {
    await this.use((pool) =>
      pool.query(
        `INSERT INTO vault_members (user_id, email, created_at, updated_at) VALUES (?, ?, ?, ?)
         ON DUPLICATE KEY UPDATE email = VALUES(email), updated_at = VALUES(updated_at)`,
        [userId, email, this.now(), this.now()],
      ),
    );
  }

  /** Undoes putEmail of a signup that did not commit. */
  async forgetEmail(userId: string): Promise<void> {
    await this.use((pool) => pool.query('DELETE FROM vault_members WHERE user_id = ?', [userId]));
  }

  /** A member's email, logged; null once erased. */
  async readEmail(userId: string, access: Access): Promise<string | null> {
    return this.use(async (pool) => {
      await this.logAccess(pool, access, userId, 'email', null);
      const [rows] = await pool.query('SELECT email FROM vault_members WHERE user_id = ?', [
        userId,
      ]);
      return ((rows as Row[])[0]?.email as string | undefined) ?? null;
    });
  }

  /** Keeps a shipping address of the member; answers the reference an order keeps. */
  async sealAddress(userId: string, address: PostalAddress): Promise<string> {
    const id = newId('vad');
    await this.use((pool) =>
      pool.query(
        `INSERT INTO vault_addresses (id, user_id, name, line1, line2, city, postal_code, country, created_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        [
          id,
          userId,
          address.name,
          address.line1,
          address.line2 ?? null,
          address.city,
          address.postalCode,
          address.country,
          this.now(),
        ],
      ),
    );
    return id;
  }

  /** Undoes sealAddress of an order that was not placed. */
  async dropAddress(ref: string): Promise<void> {
    await this.use((pool) => pool.query('DELETE FROM vault_addresses WHERE id = ?', [ref]));
  }

  /** One sealed address of `subjectId`, logged; null if erased. */
  async readAddress(ref: string, subjectId: string, access: Access): Promise<PostalAddress | null> {
    return this.use(async (pool) => {
      await this.logAccess(pool, access, subjectId, 'shipping_address', ref);
      const [rows] = await pool.query(
        `SELECT name, line1, line2, city, postal_code AS postalCode, country
           FROM vault_addresses WHERE id = ? AND user_id = ?`,
        [ref, subjectId],
      );
      const row = (rows as Row[])[0];
      return row ? toAddress(row) : null;
    });
  }

  /** Everything the vault holds about a member (a data export), logged. */
  async readAll(userId: string, access: Access) {
    return this.use(async (pool) => {
      await this.logAccess(pool, access, userId, 'all', null);
      const [members] = await pool.query(
        'SELECT email, created_at AS createdAt FROM vault_members WHERE user_id = ?',
        [userId],
      );
      const [addresses] = await pool.query(
        `SELECT id, name, line1, line2, city, postal_code AS postalCode, country, created_at AS createdAt
           FROM vault_addresses WHERE user_id = ? ORDER BY id`,
        [userId],
      );
      const [log] = await pool.query(
        `SELECT at, actor_id AS actorId, what, ref, purpose FROM vault_access_log
          WHERE subject_id = ? ORDER BY id`,
        [userId],
      );
      const member = (members as Row[])[0];
      return {
        email: (member?.email as string | undefined) ?? null,
        shippingAddresses: (addresses as Row[]).map((row) => ({
          id: row.id as string,
          ...toAddress(row),
          createdAt: (row.createdAt as Date).toISOString(),
        })),
        accessLog: (log as Row[]).map((row) => ({
          at: (row.at as Date).toISOString(),
          actorId: row.actorId as string | null,
          what: row.what as string,
          ref: row.ref as string | null,
          purpose: row.purpose as string,
        })),
      };
    });
  }

  /** Erases a member's personal data; the access log (ids only) stays as the record of it. */
  async erase(userId: string, access: Access): Promise<void> {
    await this.use(async (pool) => {
      await pool.query('DELETE FROM vault_addresses WHERE user_id = ?', [userId]);
      await pool.query('DELETE FROM vault_members WHERE user_id = ?', [userId]);
      await pool.query('DELETE FROM vault_exports WHERE user_id = ?', [userId]);
      await this.logAccess(pool, access, userId, 'erasure', null);
    });
  }

  /** The access log of a member, newest last (tests and audits). */
  async accessLog(subjectId: string) {
    return this.use(async (pool) => {
      const [rows] = await pool.query(
        `SELECT actor_id AS actorId, what, ref, purpose FROM vault_access_log
          WHERE subject_id = ? ORDER BY id`,
        [subjectId],
      );
      return rows as Array<{
        actorId: string | null;
        what: string;
        ref: string | null;
        purpose: string;
      }>;
    });
  }

  /** Data exports live in the vault: an export holds the member's personal data. */
  async createExport(userId: string): Promise<string> {
    const id = newId('dex');
    await this.use((pool) =>
      pool.query(
        `INSERT INTO vault_exports (id, user_id, status, created_at) VALUES (?, ?, 'pending', ?)`,
        [id, userId, this.now()],
      ),
    );
    return id;
  }

  async finishExport(id: string, body: string): Promise<void> {
    await this.use((pool) =>
      pool.query(
        `UPDATE vault_exports SET status = 'ready', body = ?, finished_at = ? WHERE id = ? AND status = 'pending'`,
        [body, this.now(), id],
      ),
    );
  }

  async exportOwner(id: string): Promise<string | null> {
    return this.use(async (pool) => {
      const [rows] = await pool.query('SELECT user_id AS userId FROM vault_exports WHERE id = ?', [
        id,
      ]);
      return ((rows as Row[])[0]?.userId as string | undefined) ?? null;
    });
  }

  async exportStatus(id: string, userId: string) {
    return this.use(async (pool) => {
      const [rows] = await pool.query(
        `SELECT status, created_at AS createdAt, finished_at AS finishedAt, downloaded_at AS downloadedAt
           FROM vault_exports WHERE id = ? AND user_id = ?`,
        [id, userId],
      );
      const row = (rows as Row[])[0];
      if (!row) return null;
      const iso = (value: unknown) => (value ? (value as Date).toISOString() : null);
      return {
        status: row.status as 'pending' | 'ready' | 'downloaded',
        createdAt: iso(row.createdAt)!,
        finishedAt: iso(row.finishedAt),
        downloadedAt: iso(row.downloadedAt),
      };
    });
  }

  /**
   * The export's file, once: the row is claimed and emptied in one transaction, so of two
   * downloads at once one gets the file and the other nothing. Logged as a read.
   */
  async takeExport(id: string, userId: string): Promise<string | null> {
    return this.use(async (pool) => {
      const connection = await pool.getConnection();
      try {
        await connection.beginTransaction();
        const [rows] = await connection.query(
          `SELECT body FROM vault_exports WHERE id = ? AND user_id = ? AND status = 'ready' FOR UPDATE`,
          [id, userId],
        );
        const body = (rows as Row[])[0]?.body as string | undefined;
        if (body === undefined) {
          await connection.rollback();
          return null;
        }
        await connection.query(
          `UPDATE vault_exports SET status = 'downloaded', body = NULL, downloaded_at = ? WHERE id = ?`,
          [this.now(), id],
        );
        await connection.query(
          'INSERT INTO vault_access_log (id, at, actor_id, subject_id, what, ref, purpose) VALUES (?, ?, ?, ?, ?, ?, ?)',
          [newId('vac'), this.now(), userId, userId, 'data_export', id, 'data_export_download'],
        );
        await connection.commit();
        return body;
      } catch (error) {
        await connection.rollback().catch(() => undefined);
        throw error;
      } finally {
        connection.release();
      }
    });
  }

  private async logAccess(
    pool: mysql.Pool,
    access: Access,
    subjectId: string,
    what: string,
    ref: string | null,
  ): Promise<void> {
    await pool.query(
      'INSERT INTO vault_access_log (id, at, actor_id, subject_id, what, ref, purpose) VALUES (?, ?, ?, ?, ?, ?, ?)',
      [newId('vac'), this.now(), access.actorId, subjectId, what, ref, access.purpose.slice(0, 64)],
    );
  }
}

function toAddress(row: Row): PostalAddress {
  return {
    name: row.name as string,
    line1: row.line1 as string,
    ...(row.line2 ? { line2: row.line2 as string } : {}),
    city: row.city as string,
    postalCode: row.postalCode as string,
    country: row.country as string,
  };
}
