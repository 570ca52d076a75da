#!/usr/bin/env bash
# Makes sure a MySQL-compatible server and Redis answer on this machine (127.0.0.1:3306 and
# :6379, or the hosts in DATABASE_URL / REDIS_URL): starts them if installed, installs them
# from Debian's packages if not. Quiet when everything is already up.
set -euo pipefail

DATABASE_URL=${DATABASE_URL:-mysql://root@127.0.0.1:3306/cyberstall}
REDIS_URL=${REDIS_URL:-redis://127.0.0.1:6379}
mysql_host=$(sed -E 's#^mysql://([^@/]*@)?([^:/]+).*#\2#' <<<"$DATABASE_URL")
mysql_port=$(sed -nE 's#^mysql://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p' <<<"$DATABASE_URL"); mysql_port=${mysql_port:-3306}
redis_host=$(sed -E 's#^rediss?://([^@/]*@)?([^:/]+).*#\2#' <<<"$REDIS_URL")
redis_port=$(sed -nE 's#^rediss?://([^@/]*@)?[^:/]+:([0-9]+).*#\2#p' <<<"$REDIS_URL"); redis_port=${redis_port:-6379}

is_local() { [[ "$1" == 127.0.0.1 || "$1" == localhost || "$1" == ::1 ]]; }
port_open() { (exec 3<>"/dev/tcp/$1/$2") 2>/dev/null; }
say() { echo "ensure-services: $*" >&2; }

apt_updated=0
apt_install() {
  export DEBIAN_FRONTEND=noninteractive
  if [[ $apt_updated == 0 ]]; then apt-get update -qq; apt_updated=1; fi
  apt-get install -y -qq "$@" >/dev/null
}

wait_for() { # host port what seconds
  for _ in $(seq 1 "$(( $4 * 5 ))"); do port_open "$1" "$2" && return 0; sleep 0.2; done
  say "$3 did not come up on $1:$2"; return 1
}

ensure_mysql() {
  port_open "$mysql_host" "$mysql_port" && return 0
  if ! is_local "$mysql_host"; then wait_for "$mysql_host" "$mysql_port" MySQL 60; return; fi
  if ! command -v mariadbd >/dev/null && ! [[ -x /usr/sbin/mariadbd ]]; then
    say "installing mariadb-server"
    apt_install mariadb-server
  fi
  if [[ ! -d /var/lib/mysql/mysql ]]; then
    say "initialising the MariaDB data directory"
    mariadb-install-db --user=mysql --datadir=/var/lib/mysql >/dev/null
  fi
  mkdir -p /run/mysqld && chown mysql:mysql /run/mysqld 2>/dev/null || true
  say "starting MariaDB"
  start-stop-daemon --start --oknodo --background --exec /usr/sbin/mariadbd -- --user=mysql
  wait_for "$mysql_host" "$mysql_port" MariaDB 60
}

# Debian's MariaDB lets root in only through the unix socket; the service connects over TCP.
ensure_root_over_tcp() {
  is_local "$mysql_host" || return 0
  if command -v mariadb >/dev/null && ! mariadb -h 127.0.0.1 -P "$mysql_port" -uroot -e 'SELECT 1' >/dev/null 2>&1; then
    say "allowing root@localhost over TCP without a password"
    mariadb -uroot -e "ALTER USER root@localhost IDENTIFIED VIA mysql_native_password USING PASSWORD('') OR unix_socket; FLUSH PRIVILEGES;" \
      || mariadb -uroot -e "CREATE USER IF NOT EXISTS root@'127.0.0.1' IDENTIFIED BY ''; GRANT ALL ON *.* TO root@'127.0.0.1' WITH GRANT OPTION; FLUSH PRIVILEGES;"
  fi
}

ensure_redis() {
  port_open "$redis_host" "$redis_port" && return 0
  if ! is_local "$redis_host"; then wait_for "$redis_host" "$redis_port" Redis 60; return; fi
  if ! command -v redis-server >/dev/null; then
    say "installing redis-server"
    apt_install redis-server
  fi
  say "starting Redis"
  redis-server --daemonize yes --bind 127.0.0.1 --port "$redis_port" --save "" --appendonly no >/dev/null
  wait_for "$redis_host" "$redis_port" Redis 30
}

ensure_mysql
ensure_root_over_tcp
ensure_redis
