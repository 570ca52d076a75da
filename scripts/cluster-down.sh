#!/usr/bin/env bash
# Stops the Redis Cluster and the Galera nodes cluster-up.sh started, each by its own PID file
# (never by name: the shared servers on 3306 and 6379 stay up). Galera nodes shut down one at a
# time, node 1 last, so node 1 is marked safe to bootstrap the next cluster-up.
# `--wipe` also removes their data folders (the next cluster-up starts from empty clusters).
set -euo pipefail
source "$(dirname "$0")/cluster-lib.sh"

stop_pid() { # pid what
  local pid=$1
  pid_alive "$pid" || return 0
  kill -TERM "$pid" 2>/dev/null || true
  if ! wait_pid_gone "$pid" 60; then
    say "$2 (pid $pid) ignored SIGTERM for 60s: killing it"
    kill -KILL "$pid" 2>/dev/null || true
    wait_pid_gone "$pid" 10
  fi
}

for port in "${REDIS_PORTS[@]}"; do
  stop_pid "$(pid_in "$(redis_pid_file "$port")")" "redis-server $port"
done
for ((i = ${#GALERA_NODES[@]} - 1; i >= 0; i--)); do
  node=${GALERA_NODES[$i]}
  stop_pid "$(pid_in "$(galera_pid_file "$node")")" "Galera node $node"
done

if [[ "${1:-}" == --wipe && -d "$CLUSTER_DIR" ]]; then
  for port in "${REDIS_PORTS[@]}"; do rm -rf "$(redis_dir "$port")"; done
  for node in "${GALERA_NODES[@]}"; do rm -rf "$(galera_dir "$node")"; done
  rmdir "$CLUSTER_DIR" 2>/dev/null || true
fi
