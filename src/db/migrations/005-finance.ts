import type { Migration } from '../migrator';

const ID = 'VARCHAR(40) CHARACTER SET ascii COLLATE ascii_bin';

export const finance: Migration = {
  name: '005-finance',
  async up({ context: sql }) {
    await sql.query(`CREATE TABLE finance_exports (
      id ${ID} NOT NULL PRIMARY KEY,
      requested_by ${ID} NOT NULL,
      from_day CHAR(10) CHARACTER SET ascii NOT NULL,
      to_day CHAR(10) CHARACTER SET ascii NOT NULL,
      timezone VARCHAR(64) CHARACTER SET ascii NOT NULL,
      status_filter VARCHAR(200) CHARACTER SET ascii NULL,
      status VARCHAR(10) CHARACTER SET ascii NOT NULL,
      rows_done INT NOT NULL DEFAULT 0,
      file_name VARCHAR(200) NULL,
      error VARCHAR(500) NULL,
      created_at DATETIME(3) NOT NULL,
      updated_at DATETIME(3) NOT NULL,
      finished_at DATETIME(3) NULL,
      KEY finance_exports_finished (status, finished_at)
    ) ENGINE=InnoDB`);
  },
  async down({ context: sql }) {
    await sql.query('DROP TABLE IF EXISTS finance_exports');
  },
};
