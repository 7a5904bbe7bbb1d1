package native

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"
)

// The faults the end-to-end test injects, and their repairs.

// StopNginx stops nginx (NginxDown).
func (s *Stack) StopNginx() {
	if p := s.named["nginx"]; p != nil {
		p.stop(5 * time.Second)
	}
}

// StartNginx starts nginx again on the same port and config.
func (s *Stack) StartNginx(ctx context.Context) error {
	return s.startNginx(ctx)
}

// StopReplicaSQLThread stops the replica's SQL thread (MySQLReplicaSQLThreadStopped).
func (s *Stack) StopReplicaSQLThread(ctx context.Context) error {
	if err := s.replica.exec(ctx, "STOP SLAVE SQL_THREAD"); err != nil {
		return err
	}
	return s.waitReplica(ctx, false)
}

// StartReplicaSQLThread starts it again.
func (s *Stack) StartReplicaSQLThread(ctx context.Context) error {
	if err := s.replica.exec(ctx, "START SLAVE SQL_THREAD"); err != nil {
		return err
	}
	return s.waitReplica(ctx, true)
}

func (s *Stack) redis() *redis.Client {
	return redis.NewClient(&redis.Options{Addr: s.Addr["redis"], MaxRetries: -1, DialTimeout: 5 * time.Second})
}

// FillRedis writes keys until Redis refuses writes at maxmemory (RedisMemoryNearMax). It
// writes at most 4× maxmemory, so it is bounded whatever the policy.
func (s *Stack) FillRedis(ctx context.Context) error {
	c := s.redis()
	defer c.Close()
	val := strings.Repeat("x", 4096)
	for i := 0; i < 4*RedisMaxMemory/len(val); i++ {
		err := c.Set(ctx, fmt.Sprintf("fill:%d", i), val, 0).Err()
		if err != nil {
			if strings.Contains(err.Error(), "OOM") {
				return nil
			}
			return err
		}
	}
	return errors.New("redis accepted 4× maxmemory of writes: maxmemory is not enforced")
}

// FlushRedis empties Redis again.
func (s *Stack) FlushRedis(ctx context.Context) error {
	c := s.redis()
	defer c.Close()
	return c.FlushAll(ctx).Err()
}
