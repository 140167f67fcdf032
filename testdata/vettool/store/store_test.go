package store

import "testing"

var testSeen = map[string]int{}

func record(name string) { testSeen[name]++ }

func TestPut(t *testing.T) {
	record(t.Name())
	NewIndex().Put(Entry{Key: "a"})
}
