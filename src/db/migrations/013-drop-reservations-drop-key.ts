import type { Migration } from '../migrator';

/**
 * A winners' batch and a closing drop must not both commit: the close counts the units that
 * reservations hold and gives the rest back to the listing. On one server the batch's shared
 * lock on the drop row keeps the close waiting. A Galera cluster keeps locks on their node and
 * certifies writes only: a batch certified just after a close on another node would be
 * replayed past its lock. A foreign key puts the drop row into every reservation insert's
 * write set as a reference: inserts of one drop still pass together, but an insert and a
 * change of the drop row on two nodes conflict, and the later one fails (1213) and is run again.
 */
export const dropReservationsDropKey: Migration = {
  name: '013-drop-reservations-drop-key',
  async up({ context: sql }) {
    // In place, without checking the rows already there (each names a drop that exists): the
    // copying ALTER fails on MariaDB 10.11 with errno 152 when it renames the copy. One query,
    // so the session setting applies to the ALTER's own connection.
    await sql.query(`SET SESSION foreign_key_checks = 0;
      ALTER TABLE drop_reservations
        ADD CONSTRAINT drop_reservations_drop FOREIGN KEY (drop_id) REFERENCES drops (id),
        ALGORITHM = INPLACE;
      SET SESSION foreign_key_checks = 1`);
  },
  async down({ context: sql }) {
    await sql.query('ALTER TABLE drop_reservations DROP FOREIGN KEY drop_reservations_drop');
  },
};
