import type { MigrationAnswer } from './migration-process';
import { migrateDatabase } from './migrator';

/** Forked by migration-process.ts: migrates the database it is sent, answers, exits. */
process.once('message', ({ url }: { url: string }) => {
  const answer = (message: MigrationAnswer) => process.send!(message, () => process.disconnect());
  migrateDatabase(url).then(
    (applied) => answer({ applied }),
    (error: unknown) => answer({ error: error instanceof Error ? error.message : String(error) }),
  );
});
