#!/usr/bin/env bash
# Starts the whole stack natively on loopback for a newcomer (make demo): nginx, Redis,
# MariaDB primary + replica, node_exporter, the ggzy exporters, Prometheus and Alertmanager.
# Needs the Debian packages of `make deps` and the binaries of `make build`. Ctrl-C stops it.
set -euo pipefail
cd "$(dirname "$0")/../.."
missing=()
for b in /usr/sbin/nginx /usr/bin/redis-server /usr/sbin/mariadbd /usr/bin/mariadb-install-db \
         /usr/bin/prometheus /usr/bin/prometheus-alertmanager /usr/bin/prometheus-node-exporter; do
  [ -x "$b" ] || missing+=("$b")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "missing: ${missing[*]}; run: make deps" >&2
  exit 1
fi
for e in nginx redis mysql calendar; do
  [ -x "bin/ggzy_${e}_exporter" ] || go build -o "bin/ggzy_${e}_exporter" "./exporters/${e}"
done
exec go run ./compose/native/demo -bin-dir bin -repo . "$@"
