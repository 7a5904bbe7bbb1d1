// Command gen writes the suite's Grafana dashboards (dashboards/board) as JSON:
//
//	go run ./dashboards/gen [-out dashboards/json]
//
// The tests of dashboards/board fail when the committed JSON differs from what this
// writes (UPDATE_GOLDEN=1 go test ./dashboards/... rewrites it too).
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/ggzy/ggzy-exporters/dashboards/board"
)

func main() {
	out := flag.String("out", filepath.Join("dashboards", "json"), "directory to write the dashboards to")
	flag.Parse()
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for _, b := range board.All() {
		js, err := board.Render(b)
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		path := filepath.Join(*out, b.File)
		if err := os.WriteFile(path, js, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Println("wrote", path)
	}
}
