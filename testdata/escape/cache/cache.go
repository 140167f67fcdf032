// Package cache has one function per way a Go map meets escape analysis; testdata for
// `mapguard escape` (see ../generate.sh).
package cache

import "fmt"

// Set is a named map type: only the source (not the compiler's text) says it is a map.
type Set map[string]struct{}

// Item is stored by pointer in maps.
type Item struct {
	Name string
	Size int
}

// Store owns a map through a field.
type Store struct {
	items map[string]*Item
}

var registry = map[string]*Item{}

// CountWords keeps its map on the stack: it never leaves the function.
func CountWords(words []string) int {
	counts := make(map[string]int, len(words))
	for _, w := range words {
		counts[w]++
	}
	return len(counts)
}

// Unique returns a map literal: it escapes through the result.
func Unique(words []string) map[string]bool {
	seen := map[string]bool{}
	for _, w := range words {
		seen[w] = true
	}
	return seen
}

// NewStore stores a map in a struct that is returned by pointer.
func NewStore() *Store {
	return &Store{items: make(map[string]*Item)}
}

// Register stores a pointer as a map value and a string as a map key in a package map.
func Register(name string, size int) {
	item := &Item{Name: name, Size: size}
	registry[name] = item
}

// Index uses pointers as map keys.
func Index(items []*Item) map[*Item]int {
	byItem := make(map[*Item]int)
	for i, it := range items {
		byItem[it] = i
	}
	return byItem
}

// Names makes a named map type with make.
func Names(names []string) Set {
	set := make(Set)
	for _, n := range names {
		set[n] = struct{}{}
	}
	return set
}

// Background shares a map with a goroutine: the closure captures it.
func Background(done chan<- int) {
	hits := map[int]int{}
	go func() {
		hits[1]++
		done <- len(hits)
	}()
}

// Pointer takes the address of a map variable, which moves the variable to the heap.
func Pointer() *map[string]int {
	m := make(map[string]int)
	return &m
}

// Print converts a map to an interface.
func Print() {
	local := map[string]int{"a": 1}
	fmt.Println(local)
}

// Merge only reads its parameter maps.
func Merge(dst, src map[string]int) {
	for k, v := range src {
		dst[k] = v
	}
}
