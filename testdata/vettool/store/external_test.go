package store_test

import (
	"testing"

	"example.com/vettool/store"
)

func TestRemember(t *testing.T) {
	store.Remember("x")
	counts := map[string]int{"a": 1}
	for k := range counts {
		delete(counts, k)
	}
}
