package collector

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// interval is a closed range of GTID sequence numbers.
type interval struct{ lo, hi uint64 }

// gtidSet is a MySQL GTID set: source (uuid, or uuid:tag on 8.3+) → sorted, merged intervals.
type gtidSet map[string][]interval

// parseMySQLGTIDSet parses "uuid:1-5:7,uuid2:1-3" (newlines allowed after commas).
func parseMySQLGTIDSet(s string) (gtidSet, error) {
	set := gtidSet{}
	s = strings.TrimSpace(strings.ReplaceAll(s, "\n", ""))
	if s == "" {
		return set, nil
	}
	for _, part := range strings.Split(s, ",") {
		fields := strings.Split(strings.TrimSpace(part), ":")
		if len(fields) < 2 {
			return nil, fmt.Errorf("bad GTID set element %q", part)
		}
		source := strings.ToLower(fields[0])
		for _, f := range fields[1:] {
			lo, hi, isRange := strings.Cut(f, "-")
			a, err := strconv.ParseUint(lo, 10, 64)
			if err != nil {
				// a tag (MySQL 8.3+): uuid:tag:1-5
				source = strings.ToLower(fields[0]) + ":" + strings.ToLower(f)
				continue
			}
			b := a
			if isRange {
				if b, err = strconv.ParseUint(hi, 10, 64); err != nil || b < a {
					return nil, fmt.Errorf("bad GTID interval %q", f)
				}
			}
			set[source] = append(set[source], interval{a, b})
		}
	}
	for k, iv := range set {
		set[k] = merge(iv)
	}
	return set, nil
}

func merge(iv []interval) []interval {
	sort.Slice(iv, func(i, j int) bool { return iv[i].lo < iv[j].lo })
	out := iv[:0]
	for _, x := range iv {
		if n := len(out); n > 0 && x.lo <= out[n-1].hi+1 {
			out[n-1].hi = max(out[n-1].hi, x.hi)
			continue
		}
		out = append(out, x)
	}
	return out
}

// missing counts the transactions of a that are not in b.
func (a gtidSet) missing(b gtidSet) uint64 {
	var n uint64
	for src, ivs := range a {
		for _, x := range ivs {
			n += x.hi - x.lo + 1 - overlap(x, b[src])
		}
	}
	return n
}

func overlap(x interval, ivs []interval) uint64 {
	var n uint64
	for _, y := range ivs {
		lo, hi := max(x.lo, y.lo), min(x.hi, y.hi)
		if lo <= hi {
			n += hi - lo + 1
		}
	}
	return n
}

// parseMariaDBGTIDPos parses a MariaDB GTID position "domain-server-seq,..." into
// domain → sequence number.
func parseMariaDBGTIDPos(s string) (map[uint64]uint64, error) {
	out := map[uint64]uint64{}
	s = strings.TrimSpace(s)
	if s == "" {
		return out, nil
	}
	for _, part := range strings.Split(s, ",") {
		f := strings.Split(strings.TrimSpace(part), "-")
		if len(f) != 3 {
			return nil, fmt.Errorf("bad MariaDB GTID %q", part)
		}
		d, err1 := strconv.ParseUint(f[0], 10, 64)
		seq, err2 := strconv.ParseUint(f[2], 10, 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("bad MariaDB GTID %q", part)
		}
		out[d] = max(out[d], seq)
	}
	return out, nil
}

// mariaDBPending counts, over the domains of received, the transactions received but not
// yet applied (sequence numbers grow by one per transaction within a domain).
func mariaDBPending(received, applied map[uint64]uint64) uint64 {
	var n uint64
	for d, seq := range received {
		if a := applied[d]; seq > a {
			n += seq - a
		}
	}
	return n
}
