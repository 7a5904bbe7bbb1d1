// Command ggzy_notify_relay is the demo's stand-in for the notification relay: it receives
// Alertmanager webhooks on the placeholder address of rules/alertmanager/alertmanager.yml
// (http://127.0.0.1:9095/) and logs each notification (receiver, status, alerts). A real
// deployment replaces it with the relay to WeCom, SMS or the duty phone.
package main

import (
	"log/slog"
	"net/http"
	"os"
	"time"

	"github.com/alecthomas/kingpin/v2"

	"github.com/ggzy/ggzy-exporters/compose/native"
)

func main() {
	app := kingpin.New("ggzy_notify_relay", "Logs Alertmanager webhook notifications (demo stand-in for the notification relay).")
	listen := app.Flag("listen", "Address to listen on.").Default("127.0.0.1:9095").String()
	kingpin.MustParse(app.Parse(os.Args[1:]))
	logger := slog.New(slog.NewTextHandler(os.Stdout, nil))
	sink := &native.Sink{OnNotify: func(n native.Notification) {
		for _, a := range n.Alerts {
			logger.Info("notification", "receiver", n.Receiver, "status", a.Status, "alertname", a.Labels["alertname"],
				"incident_class", a.Labels["incident_class"], "severity", a.Labels["severity"], "service", a.Labels["service"],
				"summary", a.Annotations["summary"])
		}
	}}
	srv := &http.Server{Addr: *listen, Handler: sink, ReadHeaderTimeout: 10 * time.Second}
	logger.Info("listening", "address", *listen)
	if err := srv.ListenAndServe(); err != nil {
		logger.Error("stopped", "err", err)
		os.Exit(1)
	}
}
