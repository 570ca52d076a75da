#!/usr/bin/env bash
# `npm run test:cluster`: brings up the local Redis Cluster and Galera cluster (cluster-up.sh)
# and runs, against them, the suites that carry the engine's invariants, then the failover
# drills of test/cluster. The clusters stay up afterwards (scripts/cluster-down.sh stops them).
# Extra arguments go to jest (a single file, say).
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/cluster-up.sh >/dev/null

export TEST_MYSQL_URL=mysql://root@127.0.0.1:3307,127.0.0.1:3308,127.0.0.1:3309
export TEST_REDIS_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003,127.0.0.1:7004,127.0.0.1:7005,127.0.0.1:7006

suites=(
  test/integration/checkout.test.ts            # checkout and coupon races, order expiry
  test/integration/db-transactions.test.ts     # one transaction type, deadlock retry
  test/integration/db-races.test.ts            # answered commits stored, across nodes
  test/integration/drop-invariant.test.ts
  test/integration/sessions.test.ts            # sessions shared through Redis, dropped on changes
  test/integration/identity.test.ts            # logout and rate limits across two app instances
  test/integration/idempotency.test.ts
  test/integration/stripe-checkout.test.ts     # webhooks deduplicated
  test/e2e/drop-burst.test.ts                  # two API processes on two Galera nodes
  test/e2e/logout-across-processes.test.ts     # logout in one API process, refused by another
  test/e2e/drop-schedule.test.ts
  test/e2e/airdrop-crash.test.ts
)
if (($# > 0)); then exec npx jest "$@"; fi
npx jest "${suites[@]}"
# The drills kill and restart nodes: alone, one at a time, so no other suite sees it.
npx jest --runInBand test/cluster/
