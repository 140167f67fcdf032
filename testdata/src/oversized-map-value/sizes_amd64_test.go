package store

import (
	"testing"
	"unsafe"

	"example.com/oversized-map-value/model"
)

// TestSizes pins the byte counts in this folder's // want comments to what
// the gc compiler lays out on amd64, so the fixtures cannot drift from Go.
func TestSizes(t *testing.T) {
	for _, c := range []struct {
		name string
		got  uintptr
		want uintptr
	}{
		{"Session", unsafe.Sizeof(Session{}), 192},
		{"model.Order", unsafe.Sizeof(model.Order{}), 144},
		{"model.OrderSummary", unsafe.Sizeof(model.OrderSummary{}), 40},
		{"auditRecord", unsafe.Sizeof(auditRecord{}), 144},
		{"chunkKey", unsafe.Sizeof(chunkKey{}), 136},
		{"[bloomBytes]byte", unsafe.Sizeof([bloomBytes]byte{}), 512},
		{"Fingerprint", unsafe.Sizeof(Fingerprint{}), 128},
		{"pageMeta", unsafe.Sizeof(pageMeta{}), 128},
		{"frame", unsafe.Sizeof(frame{}), 136},
		{"probeResult", unsafe.Sizeof(probeResult{}), 136},
		{"compactProbe", unsafe.Sizeof(compactProbe{}), 80},
		{"Plan", unsafe.Sizeof(Plan{}), 144},
		{"Entry", unsafe.Sizeof(Entry{}), 152},
		{"LatencyTracker value", unsafe.Sizeof(LatencyTracker{}.byRoute[""]), 144},
	} {
		if c.got != c.want {
			t.Errorf("unsafe.Sizeof(%s) = %d, fixtures say %d", c.name, c.got, c.want)
		}
	}
}
