package store

import "time"

// probeResult's fields add up to 73 bytes, but every bool is padded to the
// next int64's alignment: 136 bytes.
type probeResult struct {
	Up       bool
	Latency  int64
	TLS      bool
	Expiry   int64
	DNS      bool
	DNSTime  int64
	HTTP     bool
	Status   int64
	Redirect bool
	Hops     int64
	Retried  bool
	Attempts int64
	Cached   bool
	Age      int64
	Partial  bool
	Bytes    int64
	Gzip     bool
}

type Prober struct {
	last map[string]probeResult // want "values of 136 bytes"
}

// Silent: the same fields, largest first: 80 bytes.
type compactProbe struct {
	Latency, Expiry, DNSTime, Status, Hops, Attempts, Age, Bytes int64
	Up, TLS, DNS, HTTP, Redirect, Retried, Cached, Partial, Gzip bool
}

type CompactProber struct {
	last map[string]compactProbe
}

// Plan is a billing plan; a literal map of them is a package var.
type Plan struct {
	Name        string
	Description string
	Features    []string
	MonthlyUSD  int64
	YearlyUSD   int64
	Trial       time.Duration
	Limits      [8]int64
}

var defaultPlans = map[string]Plan{ // want "values of 144 bytes"
	"free": {Name: "Free", Trial: 0, Limits: [8]int64{10}},
	"pro":  {Name: "Pro", MonthlyUSD: 20, Trial: 14 * 24 * time.Hour},
}

// Entry is the value type of a named map type.
type Entry struct {
	Key      string
	Value    []byte
	Version  uint64
	Modified time.Time
	Owner    string
	Tags     []string
	TTL      time.Duration
	Checksum [32]byte
}

type Index map[string]Entry // want "values of 152 bytes"

// latencyStats is an anonymous struct value of 144 bytes.
type LatencyTracker struct {
	byRoute map[string]struct { // want "values of 144 bytes"
		Count, Sum, Min, Max, P50, P90, P99, P999 float64
		Buckets                                   [10]uint64
	}
}

// Silent: type parameters have no size until instantiated.
type Cache[K comparable, V any] struct {
	items map[K]V
}

// Silent: an alias to a pointer type.
type SessionRef = *Session

var refs = map[string]SessionRef{}
