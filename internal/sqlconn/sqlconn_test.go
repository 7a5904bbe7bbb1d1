package sqlconn

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"fmt"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/DATA-DOG/go-sqlmock"
	"gopkg.in/yaml.v3"
)

const pw = "s3cr3t-Pa55"

func TestDSNNeverShowsThePassword(t *testing.T) {
	d := DSN{Net: "tcp", Addr: "127.0.0.1:3306", User: "exporter", Password: pw}
	wrapped := struct {
		D DSN
		S Secret
	}{d, Secret(pw)}
	var outs []string
	for _, f := range []string{"%v", "%+v", "%#v", "%s", "%q"} {
		outs = append(outs, fmt.Sprintf(f, d), fmt.Sprintf(f, wrapped), fmt.Sprintf(f, &d))
	}
	j, err := json.Marshal(wrapped)
	if err != nil {
		t.Fatal(err)
	}
	y, err := yaml.Marshal(wrapped)
	if err != nil {
		t.Fatal(err)
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("x", "dsn", d, "pw", Secret(pw), "w", wrapped)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("x", "dsn", d, "pw", Secret(pw))
	outs = append(outs, string(j), string(y), logs.String(), fmt.Sprint(fmt.Errorf("connect %v: refused", d)))
	for _, o := range outs {
		if strings.Contains(o, pw) {
			t.Errorf("password leaked: %s", o)
		}
	}
	if got, want := d.String(), "exporter:<secret>@tcp(127.0.0.1:3306)/"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if (DSN{Net: "unix", Addr: "/run/m.sock", User: "u"}).String() != "u@unix(/run/m.sock)/" {
		t.Error("DSN without password")
	}
	if Secret(pw).Reveal() != pw {
		t.Error("Reveal")
	}
}

func TestWithQueryTimeout(t *testing.T) {
	parent, cancel := context.WithTimeout(context.Background(), time.Hour)
	defer cancel()
	ctx, c2 := WithQueryTimeout(parent, 50*time.Millisecond)
	defer c2()
	if r := Remaining(ctx, 0); r > 50*time.Millisecond || r <= 0 {
		t.Errorf("per-query cap not applied: %s", r)
	}
	short, c3 := context.WithTimeout(context.Background(), 10*time.Millisecond)
	defer c3()
	ctx, c4 := WithQueryTimeout(short, time.Hour)
	defer c4()
	if r := Remaining(ctx, 0); r > 10*time.Millisecond {
		t.Errorf("scrape deadline not kept: %s", r)
	}
	ctx, c5 := WithQueryTimeout(context.Background(), 0)
	defer c5()
	if _, ok := ctx.Deadline(); ok || Remaining(ctx, time.Second) != time.Second {
		t.Error("max 0 must leave no deadline")
	}
}

func openMock(t *testing.T) func() (*sql.DB, error) {
	return func() (*sql.DB, error) {
		db, _, err := sqlmock.New()
		return db, err
	}
}

func closed(db *sql.DB) bool {
	err := db.Ping()
	return err != nil && strings.Contains(err.Error(), "database is closed")
}

func TestPoolReusesReplacesAndPrunes(t *testing.T) {
	now := time.Unix(1000, 0)
	p := &Pool{IdleTTL: time.Minute, now: func() time.Time { return now }}
	defer p.Close()

	l1, err := p.Acquire("a", Fingerprint("x", "pw1"), openMock(t))
	if err != nil {
		t.Fatal(err)
	}
	l1.Release()
	l2, _ := p.Acquire("a", Fingerprint("x", "pw1"), openMock(t))
	if l1.DB != l2.DB {
		t.Fatal("same fingerprint must reuse the handle")
	}
	// A new fingerprint (e.g. rotated password) replaces the handle; the old one stays
	// open while leased and is closed at release.
	l3, _ := p.Acquire("a", Fingerprint("x", "pw2"), openMock(t))
	if l3.DB == l2.DB {
		t.Fatal("new fingerprint must open a new handle")
	}
	if closed(l2.DB) {
		t.Fatal("handle closed while a scrape still uses it")
	}
	l2.Release()
	l2.Release() // idempotent
	if !closed(l2.DB) {
		t.Fatal("replaced handle not closed after release")
	}
	l3.Release()
	if p.Len() != 1 {
		t.Fatalf("len %d", p.Len())
	}
	// Idle past the TTL: closed on the next Acquire of any name.
	now = now.Add(2 * time.Minute)
	l4, _ := p.Acquire("b", "fp", openMock(t))
	defer l4.Release()
	if !closed(l3.DB) || p.Len() != 1 {
		t.Fatalf("idle handle not pruned (len %d)", p.Len())
	}
	if err := p.Close(); err != nil {
		t.Fatal(err)
	}
	if closed(l4.DB) {
		t.Fatal("leased handle closed by Close")
	}
	l4.Release()
	if !closed(l4.DB) {
		t.Fatal("handle not closed at release after Close")
	}
}

func TestPoolOpenError(t *testing.T) {
	p := &Pool{}
	if _, err := p.Acquire("a", "fp", func() (*sql.DB, error) { return nil, fmt.Errorf("boom") }); err == nil {
		t.Fatal("open error swallowed")
	}
	if p.Len() != 0 {
		t.Fatal("failed open kept an entry")
	}
}
