# Shared by cluster-up.sh and cluster-down.sh: where the nodes live and how to reach them.
# Every port is on 127.0.0.1; the shared single servers (3306, 6379) are never touched.

CLUSTER_DIR=${CLUSTER_DIR:-$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/var/cluster}
REDIS_PORTS=(7001 7002 7003 7004 7005 7006)
GALERA_NODES=(1 2 3)
galera_sql_port() { echo $((3306 + $1)); }           # 3307 3308 3309
galera_group_port() { echo $((4557 + 10 * $1)); }    # 4567 4577 4587
galera_ist_port() { echo $((4558 + 10 * $1)); }      # 4568 4578 4588
galera_sst_port() { echo $((4559 + 10 * $1)); }      # 4569 4579 4589
galera_dir() { echo "$CLUSTER_DIR/galera-$1"; }
redis_dir() { echo "$CLUSTER_DIR/redis-$1"; }

say() { echo "cluster: $*" >&2; }
port_open() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
pid_alive() { [[ -n "$1" ]] && kill -0 "$1" 2>/dev/null; }
pid_in() { [[ -s "$1" ]] && cat "$1" || true; }

redis_pid_file() { echo "$(redis_dir "$1")/redis.pid"; }
galera_pid_file() { echo "$(galera_dir "$1")/mariadbd.pid"; }

# Always over TCP with an explicit host and no defaults: a client given only a port would
# read the system config and talk to the shared server's socket instead.
galera_sql() { # node sql...
  local node=$1; shift
  mariadb --no-defaults -h127.0.0.1 -P"$(galera_sql_port "$node")" -uroot -N -B -e "$*"
}

galera_state() { # node -> Synced, Donor/Desynced, Joining... or nothing when unreachable
  galera_sql "$1" "SHOW STATUS LIKE 'wsrep_local_state_comment'" 2>/dev/null | awk '{print $2}'
}

galera_cluster_status() { # node -> Primary / non-Primary / nothing
  galera_sql "$1" "SHOW STATUS LIKE 'wsrep_cluster_status'" 2>/dev/null | awk '{print $2}'
}

redis_cluster_state() { # port -> ok / fail / nothing
  redis-cli -h 127.0.0.1 -p "$1" cluster info 2>/dev/null | tr -d '\r' | sed -n 's/^cluster_state://p'
}

wait_until() { # seconds description command...
  local seconds=$1 what=$2; shift 2
  local tries=$((seconds * 5))
  for _ in $(seq 1 "$tries"); do "$@" && return 0; sleep 0.2; done
  say "$what: not reached after ${seconds}s"
  return 1
}

wait_pid_gone() { # pid seconds
  local pid=$1 tries=$(($2 * 5))
  for _ in $(seq 1 "$tries"); do pid_alive "$pid" || return 0; sleep 0.2; done
  return 1
}
