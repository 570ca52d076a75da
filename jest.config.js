/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // Failover drills kill cluster nodes: only under `npm run test:cluster` (scripts/test-cluster.sh).
  testPathIgnorePatterns: process.env.TEST_REDIS_CLUSTER_NODES ? [] : ['/test/cluster/'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json' }],
  },
  // The longest files first, also on a fresh checkout (see the file).
  testSequencer: '<rootDir>/test/support/sequencer.js',
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
  // Three test files at once on two cores: files spend much of their time waiting on MySQL,
  // Redis and the service processes they start, and a third keeps both cores busy. With each
  // file's context at 10 MySQL connections (test/support/harness.ts) and an e2e file's
  // processes at DB_POOL_MAX 8 each (test/support/e2e.ts), a run stays near 90 connections at
  // worst, under a default server's max_connections (151).
  maxWorkers: 3,
};
