import type { Db } from '../db/db';
import { execute, selectRows, type Tx } from '../db/sql';
import type { SourceFormat } from './media-format';

export interface MediaRow {
  id: string;
  ownerId: string;
  status: 'processing' | 'ready' | 'deleting';
  width: number;
  height: number;
  createdAt: Date;
  attachedAt: Date | null;
}

export interface NewMedia {
  id: string;
  ownerId: string;
  format: SourceFormat;
  bytes: number;
  width: number;
  height: number;
  createdAt: Date;
}

const COLUMNS = `id, owner_id AS ownerId, status, width, height, created_at AS createdAt,
  attached_at AS attachedAt`;

/** The media table: plain rows in, plain rows out. */
export class MediaRepository {
  constructor(private readonly db: Db) {}

  async insertProcessing(media: NewMedia): Promise<void> {
    await execute(
      this.db,
      `INSERT INTO media (id, owner_id, status, source_format, source_bytes, width, height, created_at)
       VALUES (?, ?, 'processing', ?, ?, ?, ?, ?)`,
      [
        media.id,
        media.ownerId,
        media.format,
        media.bytes,
        media.width,
        media.height,
        media.createdAt,
      ],
    );
  }

  async markReady(id: string): Promise<void> {
    await execute(this.db, "UPDATE media SET status = 'ready' WHERE id = ?", [id]);
  }

  /** Ready media among `ids`; `lock` holds them (FOR UPDATE) until the transaction ends. */
  readyAmong(ids: string[], transaction?: Tx, lock = false): Promise<MediaRow[]> {
    if (ids.length === 0) return Promise.resolve([]);
    return selectRows<MediaRow>(
      this.db,
      `SELECT ${COLUMNS} FROM media WHERE id IN (?) AND status = 'ready'${lock ? ' FOR UPDATE' : ''}`,
      [ids],
      transaction,
    );
  }

  async markAttached(ids: string[], now: Date, transaction: Tx): Promise<void> {
    if (ids.length === 0) return;
    await execute(
      this.db,
      'UPDATE media SET attached_at = ? WHERE id IN (?) AND attached_at IS NULL',
      [now, ids],
      transaction,
    );
  }

  /** Media never attached and created before `cutoff`, oldest first. */
  unattachedBefore(cutoff: Date, limit: number): Promise<Array<{ id: string }>> {
    return selectRows<{ id: string }>(
      this.db,
      `SELECT id FROM media WHERE attached_at IS NULL AND created_at < ? ORDER BY created_at LIMIT ?`,
      [cutoff, limit],
    );
  }

  /**
   * Marks the row `deleting` if it is still unattached: an attach that locked it first wins, and
   * one that comes after no longer finds it ready. Answers whether it was claimed.
   */
  async claimForDeletion(id: string): Promise<boolean> {
    const claimed = await execute(
      this.db,
      "UPDATE media SET status = 'deleting' WHERE id = ? AND attached_at IS NULL",
      [id],
    );
    return claimed === 1;
  }

  async delete(id: string): Promise<void> {
    await execute(this.db, 'DELETE FROM media WHERE id = ?', [id]);
  }
}
