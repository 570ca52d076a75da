import { removeServiceBuild } from './service-build';
import { TEST_DB_PREFIX, TEST_RUN_ENV } from './test-env';
import { findTestNamespaces, namesOf, removeTestNamespace } from './test-namespace';
import { dropRecycledDatabases, removeSchemaScript } from './test-schema';

/**
 * Each test file removes its own database and Redis keys. This checks that they did: whatever
 * of this run is still there is removed, and the run fails naming it, so a leak is fixed where
 * it starts instead of piling up on the developer's servers.
 */
export default async function globalTeardown(): Promise<void> {
  const tag = process.env[TEST_RUN_ENV];
  if (!tag) return;
  await dropRecycledDatabases();
  await removeSchemaScript();
  removeServiceBuild();
  const left = await findTestNamespaces(`${TEST_DB_PREFIX}*_${tag}_*`);
  const names = namesOf(left);
  if (names.length === 0) return;
  await Promise.allSettled(names.map((name) => removeTestNamespace(name)));
  const message = [
    `test run ${tag} left databases or Redis keys behind (now removed):`,
    ...left.databases.map((name) => `  database ${name}`),
    ...left.keyPrefixes.map((name) => `  Redis keys ${name}:*`),
    'A test file must close what it opened (contexts, workers, queues, service processes) before its names are swept.',
  ].join('\n');
  throw new Error(message);
}
