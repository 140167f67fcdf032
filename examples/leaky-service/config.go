package main

import (
	"flag"
	"maps"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// Config is immutable once published: changes build a new Config and swap
// the pointer (copy-on-write), so readers never lock.
type Config struct {
	Addr        string
	DebugAddr   string
	SessionTTL  time.Duration
	CacheTTL    time.Duration
	RatePerSec  float64
	Load        int
	LoadTimeout time.Duration
	Flags       map[string]bool
}

func parseConfig(args []string) (*Config, error) {
	fs := flag.NewFlagSet("leaky-service", flag.ContinueOnError)
	cfg := &Config{}
	fs.StringVar(&cfg.Addr, "addr", "localhost:8080", "API listen address")
	fs.StringVar(&cfg.DebugAddr, "debug-addr", "localhost:6060", "pprof and expvar listen address")
	fs.DurationVar(&cfg.SessionTTL, "session-ttl", 30*time.Minute, "idle time after which a session expires")
	fs.DurationVar(&cfg.CacheTTL, "cache-ttl", time.Minute, "how long a cached catalog page is served")
	fs.Float64Var(&cfg.RatePerSec, "rate", 50, "requests per second allowed per client")
	fs.IntVar(&cfg.Load, "load", 0, "start this many built-in clients that hammer the API (grows the leaky maps)")
	fs.DurationVar(&cfg.LoadTimeout, "load-duration", 0, "stop the built-in load after this long (0 = until exit)")
	flagList := fs.String("flags", "", "comma-separated feature flags to enable")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	parts := strings.Split(*flagList, ",")
	cfg.Flags = make(map[string]bool, len(parts))
	for _, p := range parts {
		if p = strings.TrimSpace(p); p != "" {
			cfg.Flags[p] = true
		}
	}
	return cfg, nil
}

// liveConfig publishes the current Config. Writers serialise on mu and swap
// in a modified copy; readers call Get without any lock.
type liveConfig struct {
	mu  sync.Mutex
	cur atomic.Pointer[Config]
}

func newLiveConfig(c *Config) *liveConfig {
	l := &liveConfig{}
	l.cur.Store(c)
	return l
}

func (l *liveConfig) Get() *Config { return l.cur.Load() }

func (l *liveConfig) SetFlag(name string, on bool) {
	l.mu.Lock()
	defer l.mu.Unlock()
	next := *l.cur.Load()
	next.Flags = maps.Clone(next.Flags)
	if next.Flags == nil {
		next.Flags = map[string]bool{}
	}
	next.Flags[name] = on
	l.cur.Store(&next)
}

func (l *liveConfig) Enabled(name string) bool {
	return l.Get().Flags[name]
}
