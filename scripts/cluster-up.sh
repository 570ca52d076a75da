#!/usr/bin/env bash
# Starts, on this machine, a Redis Cluster of 3 masters + 3 replicas (127.0.0.1:7001-7006) and
# a 3-node MariaDB Galera cluster (SQL on 127.0.0.1:3307-3309, root over TCP without a
# password), each node with its own folder under var/cluster (CLUSTER_DIR). Idempotent: nodes
# already running are left alone, stopped ones are started again and rejoin. Installs galera-4
# and rsync from Debian's packages when missing. Prints the env that points the service at them.
set -euo pipefail
source "$(dirname "$0")/cluster-lib.sh"

apt_updated=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ $apt_updated == 0 ]]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

ensure_packages() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  command -v redis-cli >/dev/null || missing+=(redis-tools)
  [[ -x /usr/sbin/mariadbd ]] || missing+=(mariadb-server)
  [[ -e /usr/lib/galera/libgalera_smm.so ]] || missing+=(galera-4)
  command -v rsync >/dev/null || missing+=(rsync)
  if ((${#missing[@]} > 0)); then
    say "installing ${missing[*]}"
    apt_install "${missing[@]}"
  fi
}

# --- Redis Cluster ----------------------------------------------------------------------------

start_redis_node() {
  local port=$1 dir
  dir=$(redis_dir "$port")
  port_open "$port" && return 0
  mkdir -p "$dir"
  redis-server --port "$port" --bind 127.0.0.1 --dir "$dir" --daemonize yes \
    --pidfile "$(redis_pid_file "$port")" --logfile "$dir/redis.log" \
    --cluster-enabled yes --cluster-config-file "nodes-$port.conf" --cluster-node-timeout 2000 \
    --appendonly yes --appendfsync everysec --save "" >/dev/null
}

redis_info_field() { # port field
  redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n "s/^$2://p"
}

redis_cluster_ok() {
  local port
  for port in "${REDIS_PORTS[@]}"; do
    [[ "$(redis_cluster_state "$port")" == ok ]] || return 1
    [[ "$(redis_info_field "$port" cluster_known_nodes)" == "${#REDIS_PORTS[@]}" ]] || return 1
  done
}

ensure_redis_cluster() {
  local port
  for port in "${REDIS_PORTS[@]}"; do start_redis_node "$port"; done
  for port in "${REDIS_PORTS[@]}"; do
    wait_until 10 "redis-server on $port" port_open "$port"
  done
  redis_cluster_ok && return 0
  local unassigned=1
  for port in "${REDIS_PORTS[@]}"; do
    [[ "$(redis_info_field "$port" cluster_slots_assigned)" == 0 ]] || unassigned=0
  done
  if [[ $unassigned == 1 ]]; then
    say "creating the Redis Cluster on ${REDIS_PORTS[*]}"
    local nodes=()
    for port in "${REDIS_PORTS[@]}"; do nodes+=("127.0.0.1:$port"); done
    redis-cli --cluster create "${nodes[@]}" --cluster-replicas 1 --cluster-yes >/dev/null
  fi
  # Restarted nodes find each other from their nodes-PORT.conf; a fresh cluster says `fail`
  # for a moment after create.
  wait_until 30 "Redis Cluster state ok on every node" redis_cluster_ok
}

# --- Galera -----------------------------------------------------------------------------------

write_galera_config() {
  local node=$1 dir peers=() other
  dir=$(galera_dir "$node")
  for other in "${GALERA_NODES[@]}"; do peers+=("127.0.0.1:$(galera_group_port "$other")"); done
  cat >"$dir/my.cnf" <<EOF
[mysqld]
user = mysql
datadir = $dir/data
socket = $dir/mysqld.sock
pid-file = $(galera_pid_file "$node")
log-error = $dir/error.log
# A temp folder of its own, not the shared /tmp: an export's sort on the 3306 server lost its
# temporary table there ("Error on delete of /tmp/#sql-temptable-...") as a node restarted.
tmpdir = $dir/tmp
bind-address = 127.0.0.1
port = $(galera_sql_port "$node")
skip-name-resolve
character-set-server = utf8mb4
collation-server = utf8mb4_general_ci
max_connections = 1000
innodb_buffer_pool_size = 128M
innodb_flush_log_at_trx_commit = 2
default_storage_engine = InnoDB
binlog_format = ROW
innodb_autoinc_lock_mode = 2
wsrep_on = ON
wsrep_provider = /usr/lib/galera/libgalera_smm.so
wsrep_cluster_name = cyberstall
wsrep_cluster_address = gcomm://$(IFS=,; echo "${peers[*]}")
wsrep_node_name = galera-$node
wsrep_node_address = 127.0.0.1:$(galera_group_port "$node")
wsrep_sst_method = rsync
wsrep_sst_receive_address = 127.0.0.1:$(galera_sst_port "$node")
wsrep_provider_options = "gmcast.listen_addr=tcp://127.0.0.1:$(galera_group_port "$node");ist.recv_addr=127.0.0.1:$(galera_ist_port "$node");pc.recovery=TRUE"
EOF
}

prepare_galera_node() {
  local node=$1 dir
  dir=$(galera_dir "$node")
  mkdir -p "$dir/tmp"
  write_galera_config "$node"
  if [[ ! -d "$dir/data/mysql" ]]; then
    # root@localhost and root@127.0.0.1 without a password, as the shared server allows.
    mariadb-install-db --no-defaults --datadir="$dir/data" --user=mysql \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1
  fi
  chown -R mysql:mysql "$dir"
}

galera_running() { pid_alive "$(pid_in "$(galera_pid_file "$1")")"; }
galera_synced() { [[ "$(galera_state "$1")" == Synced ]]; }

start_galera_node() { # node [--wsrep-new-cluster]
  local node=$1 dir; shift
  dir=$(galera_dir "$node")
  say "starting Galera node $node on $(galera_sql_port "$node") $*"
  setsid /usr/sbin/mariadbd --defaults-file="$dir/my.cnf" "$@" >>"$dir/stdout.log" 2>&1 </dev/null &
  if ! wait_until 90 "Galera node $node Synced" galera_synced "$node"; then
    tail -n 20 "$dir/error.log" "$dir/stdout.log" >&2 || true
    return 1
  fi
}

grastate_field() { # node field
  sed -n "s/^$2:[[:space:]]*//p" "$(galera_dir "$1")/data/grastate.dat" 2>/dev/null
}

# Which node may start a new cluster: the one a clean shutdown marked safe_to_bootstrap, else
# (all crashed) the one with the highest recorded seqno, else node 1.
bootstrap_candidate() {
  local node best=1 best_seqno=-2 seqno
  for node in "${GALERA_NODES[@]}"; do
    if [[ "$(grastate_field "$node" safe_to_bootstrap)" == 1 ]]; then echo "$node"; return; fi
  done
  for node in "${GALERA_NODES[@]}"; do
    seqno=$(grastate_field "$node" seqno)
    [[ -n "$seqno" ]] || continue
    if ((seqno > best_seqno)); then best=$node; best_seqno=$seqno; fi
  done
  local file
  file="$(galera_dir "$best")/data/grastate.dat"
  [[ -f "$file" ]] && sed -i 's/^safe_to_bootstrap:.*/safe_to_bootstrap: 1/' "$file"
  echo "$best"
}

ensure_galera_cluster() {
  local node primary=""
  for node in "${GALERA_NODES[@]}"; do prepare_galera_node "$node"; done
  for node in "${GALERA_NODES[@]}"; do
    galera_running "$node" || continue
    if [[ "$(galera_cluster_status "$node")" == Primary ]]; then primary=$node; break; fi
  done
  if [[ -z "$primary" ]]; then
    for node in "${GALERA_NODES[@]}"; do
      galera_running "$node" || continue
      # A lone survivor of a lost quorum: it holds the newest data, make it the Primary.
      say "Galera node $node is running without quorum: bootstrapping it as the Primary"
      galera_sql "$node" "SET GLOBAL wsrep_provider_options='pc.bootstrap=YES'"
      wait_until 10 "Galera node $node Primary" galera_synced "$node"
      primary=$node
      break
    done
  fi
  if [[ -z "$primary" ]]; then
    primary=$(bootstrap_candidate)
    start_galera_node "$primary" --wsrep-new-cluster
  fi
  # Joiners one at a time: each takes a state transfer from a donor.
  for node in "${GALERA_NODES[@]}"; do
    galera_running "$node" && continue
    start_galera_node "$node"
  done
  for node in "${GALERA_NODES[@]}"; do
    wait_until 90 "Galera node $node Synced" galera_synced "$node"
  done
}

ensure_packages
mkdir -p "$CLUSTER_DIR"
ensure_redis_cluster
ensure_galera_cluster

cat <<EOF
REDIS_CLUSTER_NODES=127.0.0.1:7001,127.0.0.1:7002,127.0.0.1:7003,127.0.0.1:7004,127.0.0.1:7005,127.0.0.1:7006
DATABASE_URL=mysql://root@127.0.0.1:3307,127.0.0.1:3308,127.0.0.1:3309/cyberstall
EOF
