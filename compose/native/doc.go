// Package native runs the compose topology natively on loopback, for the end-to-end test
// (compose/e2e_test.go) and the demo (go run ./compose/native/demo): real nginx, Redis, a
// MariaDB primary and replica, node_exporter, our exporters, Prometheus with the rules of
// rules/ and Alertmanager with the generated routes, each a child process on free (or
// given) 127.0.0.1 ports in one work directory. Nothing listens beyond loopback.
package native
