package sqlconn

import (
	"context"
	"time"
)

// WithQueryTimeout bounds one query: the earlier of the scrape's deadline (carried by ctx)
// and now+max. max <= 0 leaves only the scrape's deadline.
func WithQueryTimeout(ctx context.Context, max time.Duration) (context.Context, context.CancelFunc) {
	if max <= 0 {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, max)
}

// Remaining is the time left before ctx's deadline, or def when ctx has none.
func Remaining(ctx context.Context, def time.Duration) time.Duration {
	d, ok := ctx.Deadline()
	if !ok {
		return def
	}
	if r := time.Until(d); r > 0 {
		return r
	}
	return 0
}
