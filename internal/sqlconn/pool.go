package sqlconn

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"sync"
	"time"
)

// Pool keeps one *sql.DB per target name across scrapes. A handle is replaced (and the old
// one closed once no scrape uses it) when the target's fingerprint changes, which covers a
// config reload and a rotated password file. Handles not used for IdleTTL are closed on a
// later Acquire: there is no background goroutine. The number of handles is bounded by
// the number of target names scraped within IdleTTL.
type Pool struct {
	// IdleTTL closes handles no scrape has used for this long (0: 10 minutes).
	IdleTTL time.Duration

	mu      sync.Mutex
	entries map[string]*entry
	now     func() time.Time
}

type entry struct {
	fp       string
	db       *sql.DB
	refs     int
	lastUsed time.Time
	retired  bool
}

// Lease is one scrape's use of a handle; Release it when the scrape is done.
type Lease struct {
	DB   *sql.DB
	p    *Pool
	e    *entry
	once sync.Once
}

// Fingerprint hashes the parts that identify a connection setting (the password too, so a
// rotated password file opens a fresh handle). Only the hash is kept.
func Fingerprint(parts ...string) string {
	h := sha256.New()
	for _, s := range parts {
		h.Write([]byte(s))
		h.Write([]byte{0})
	}
	return hex.EncodeToString(h.Sum(nil))
}

// Acquire returns the handle of name, opening it with open when the name is new or its
// fingerprint changed.
func (p *Pool) Acquire(name, fp string, open func() (*sql.DB, error)) (*Lease, error) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.entries == nil {
		p.entries = map[string]*entry{}
	}
	now := p.clock()
	p.pruneLocked(now)
	e, ok := p.entries[name]
	if ok && e.fp != fp {
		p.retireLocked(name, e)
		ok = false
	}
	if !ok {
		db, err := open()
		if err != nil {
			return nil, err
		}
		e = &entry{fp: fp, db: db}
		p.entries[name] = e
	}
	e.refs++
	e.lastUsed = now
	return &Lease{DB: e.db, p: p, e: e}, nil
}

// Release ends the lease (idempotent).
func (l *Lease) Release() {
	l.once.Do(func() {
		l.p.mu.Lock()
		defer l.p.mu.Unlock()
		l.e.refs--
		l.e.lastUsed = l.p.clock()
		if l.e.retired && l.e.refs == 0 {
			_ = l.e.db.Close()
		}
	})
}

// Len is the number of open handles (retired ones still in use are not counted).
func (p *Pool) Len() int {
	p.mu.Lock()
	defer p.mu.Unlock()
	return len(p.entries)
}

// Close closes every handle; handles still leased are closed when released.
func (p *Pool) Close() error {
	p.mu.Lock()
	defer p.mu.Unlock()
	var errs []error
	for name, e := range p.entries {
		delete(p.entries, name)
		e.retired = true
		if e.refs == 0 {
			errs = append(errs, e.db.Close())
		}
	}
	return errors.Join(errs...)
}

func (p *Pool) retireLocked(name string, e *entry) {
	delete(p.entries, name)
	e.retired = true
	if e.refs == 0 {
		_ = e.db.Close()
	}
}

func (p *Pool) pruneLocked(now time.Time) {
	ttl := p.IdleTTL
	if ttl <= 0 {
		ttl = 10 * time.Minute
	}
	for name, e := range p.entries {
		if e.refs == 0 && now.Sub(e.lastUsed) > ttl {
			p.retireLocked(name, e)
		}
	}
}

func (p *Pool) clock() time.Time {
	if p.now != nil {
		return p.now()
	}
	return time.Now()
}
