#!/bin/bash
# Runs once, when the primary's datadir is created (docker-entrypoint-initdb.d): the
# replication user and the exporter user (grants of exporters/mysql/README.md).
set -eu
repl=$(cat /run/secrets/mysql_repl_password)
exp=$(cat /run/secrets/mysql_exporter_password)
mariadb -uroot -p"$(cat /run/secrets/mysql_root_password)" <<SQL
CREATE USER 'repl'@'%' IDENTIFIED BY '${repl}';
GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';
CREATE USER 'exporter'@'%' IDENTIFIED BY '${exp}' WITH MAX_USER_CONNECTIONS 3;
GRANT PROCESS, REPLICA MONITOR ON *.* TO 'exporter'@'%';
GRANT SELECT ON performance_schema.* TO 'exporter'@'%';
CREATE DATABASE IF NOT EXISTS demo;
SQL
