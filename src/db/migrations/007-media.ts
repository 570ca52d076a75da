import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const media: Migration = {
  name: '007-media',
  async up({ context: sql }) {
    // status: processing (files being written) | ready | deleting (claimed by the purge job).
    // width and height are the photo's own, once turned upright. attached_at: first time a
    // listing or note took it; the purge job deletes what is still unattached a day after.
    await sql.query(`CREATE TABLE media (
      id ${ID} NOT NULL PRIMARY KEY,
      owner_id ${ID} NOT NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      source_format VARCHAR(10) CHARACTER SET ascii NOT NULL,
      source_bytes INT NOT NULL,
      width INT NOT NULL,
      height INT NOT NULL,
      created_at DATETIME(3) NOT NULL,
      attached_at DATETIME(3) NULL,
      KEY media_owner (owner_id, created_at),
      KEY media_unattached (attached_at, created_at)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS media');
  },
};
