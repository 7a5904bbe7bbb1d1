// Command demo starts the suite's whole stack natively on this machine (the topology of the
// end-to-end test): nginx, Redis, a MariaDB primary and replica, node_exporter, our four
// exporters, Prometheus with rules/*.yml and Alertmanager with the generated routes, whose
// notifications are printed here. It prints the URLs and stops everything on Ctrl-C.
//
//	bash compose/native/demo.sh          (installs nothing; make deps does)
//	go run ./compose/native/demo -bin-dir bin
package main

import (
	"context"
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"
	"time"

	"github.com/ggzy/ggzy-exporters/compose/native"
)

// defaultPorts: the exporters' fixed ports and the usual ones of the upstream programs;
// a port already in use is replaced by a free one.
var defaultPorts = map[string]int{
	"nginx-exporter": 9913, "redis-exporter": 9921, "mysql-exporter": 9904, "calendar-exporter": 9930,
	"prometheus": 9090, "alertmanager": 9093, "node-exporter": 9100,
}

func main() {
	binDir := flag.String("bin-dir", "bin", "directory holding ggzy_{nginx,redis,mysql,calendar}_exporter (make build)")
	repo := flag.String("repo", ".", "repository root (rules/ is read from it)")
	interval := flag.Duration("interval", 15*time.Second, "scrape and rule evaluation interval")
	verbose := flag.Bool("v", false, "print the output of every process")
	flag.Parse()
	if err := run(*binDir, *repo, *interval, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "demo:", err)
		os.Exit(1)
	}
}

func run(binDir, repo string, interval time.Duration, verbose bool) error {
	exporters := map[string]string{}
	for _, e := range []string{"nginx", "redis", "mysql", "calendar"} {
		p := filepath.Join(binDir, "ggzy_"+e+"_exporter")
		if _, err := os.Stat(p); err != nil {
			return fmt.Errorf("%s: %v (run make build first)", p, err)
		}
		exporters[e], _ = filepath.Abs(p)
	}
	bins := native.DebianBinaries(exporters)
	for _, b := range []string{bins.Nginx, bins.RedisServer, bins.Mariadbd, bins.MariadbInstallDB, bins.Prometheus, bins.Alertmanager, bins.NodeExporter} {
		if _, err := os.Stat(b); err != nil {
			return fmt.Errorf("%s is missing: install the Debian packages with make deps", b)
		}
	}
	absRepo, err := filepath.Abs(repo)
	if err != nil {
		return err
	}
	dir, err := os.MkdirTemp("", "ggzy-demo")
	if err != nil {
		return err
	}
	defer os.RemoveAll(dir)

	// The notification relay's stand-in: print what Alertmanager sends.
	sink := &native.Sink{OnNotify: func(n native.Notification) {
		for _, a := range n.Alerts {
			fmt.Printf("%s  notification → %-10s %-8s %s (incident_class=%s, service=%s): %s\n",
				time.Now().Format("15:04:05"), n.Receiver, a.Status, a.Labels["alertname"],
				a.Labels["incident_class"], a.Labels["service"], a.Annotations["summary"])
		}
	}}
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: sink, ReadHeaderTimeout: 10 * time.Second}
	go func() { _ = hs.Serve(l) }()
	defer hs.Close()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	opts := native.Options{
		Dir: dir, Repo: absRepo, Bin: bins, WebhookURL: "http://" + l.Addr().String() + "/",
		Interval: interval, Port: portIfFree,
	}
	if verbose {
		opts.Log = os.Stdout
	}
	fmt.Println("starting nginx, Redis, MariaDB primary + replica, node_exporter, the exporters, Prometheus, Alertmanager …")
	startCtx, cancel := context.WithTimeout(ctx, 3*time.Minute)
	s, err := native.Start(startCtx, opts)
	cancel()
	if err != nil {
		return err
	}
	defer s.Stop()

	fmt.Println("\nThe stack is up (loopback only):")
	for _, u := range s.URLs() {
		fmt.Printf("  %-34s %s\n", u[0], u[1])
	}
	fmt.Printf("  %-34s %s\n", "Alertmanager notifications", "printed below (webhook sink http://"+l.Addr().String()+"/)")
	fmt.Println(`
Grafana is not packaged by Debian, so it is not part of this demo. The dashboards are in
dashboards/json (import them into any Grafana 11+), or run the full stack with Grafana in Docker:
  docker compose -f compose/docker-compose.yml up --build      (then http://localhost:3000)

Try a fault: stop the demo nginx with
  kill $(cat ` + filepath.Join(dir, "nginx", "nginx.pid") + `)
and watch NginxDown arrive here after its "for" (2 min). Ctrl-C stops everything.`)
	<-ctx.Done()
	fmt.Println("\nstopping …")
	return nil
}

func portIfFree(component string) int {
	p, ok := defaultPorts[component]
	if !ok {
		return 0
	}
	l, err := net.Listen("tcp", fmt.Sprintf("127.0.0.1:%d", p))
	if err != nil {
		return 0
	}
	l.Close()
	return p
}
