#!/bin/bash
# Runs once, when the replica's datadir is created: follow the primary by GTID. The
# exporter user arrives through replication.
set -eu
repl=$(cat /run/secrets/mysql_repl_password)
mariadb -uroot -p"$(cat /run/secrets/mysql_root_password)" <<SQL
CHANGE MASTER TO MASTER_HOST='mysql-primary', MASTER_PORT=3306, MASTER_USER='repl',
  MASTER_PASSWORD='${repl}', MASTER_USE_GTID=slave_pos, MASTER_CONNECT_RETRY=5;
START SLAVE;
SQL
