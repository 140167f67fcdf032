// Package catalog builds lookup maps from slices; MG402
// (map-capacity-unhinted) asks for a size hint when the final size is known.
package catalog

import (
	"net/http"
	"strconv"
	"time"
)

type User struct {
	ID    int64
	Email string
	Team  string
}

// indexUsers grows the map step by step instead of allocating once.
func indexUsers(users []User) map[int64]*User {
	byID := make(map[int64]*User) // want "byID is filled in a loop over users"
	for i := range users {
		byID[users[i].ID] = &users[i]
	}
	return byID
}

type ListRequest struct {
	Items []Item
}

type Item struct {
	SKU   string
	Price int64
}

func priceTable(req *ListRequest) map[string]int64 {
	prices := make(map[string]int64) // want "prices is filled in a loop over req.Items"
	for _, it := range req.Items {
		prices[it.SKU] = it.Price
	}
	return prices
}

// A statement between the make and the loop does not matter.
func emailSet(users []User) (map[string]struct{}, time.Duration) {
	start := time.Now()
	emails := make(map[string]struct{}) // want "emails is filled in a loop over users"
	n := 0
	for _, u := range users {
		emails[u.Email] = struct{}{}
		n++
	}
	_ = n
	return emails, time.Since(start)
}

// Inverting a map: the source's length is known.
func invert(byName map[string]int64) map[int64]string {
	byID := make(map[int64]string) // want "byID is filled in a loop over byName"
	for name, id := range byName {
		byID[id] = name
	}
	return byID
}

// range over an int.
func slotIndex(n int) map[int]time.Duration {
	var backoff = make(map[int]time.Duration) // want "backoff is filled in a loop over n"
	for i := range n {
		backoff[i] = time.Duration(1<<i) * 100 * time.Millisecond
	}
	return backoff
}

type Table struct {
	Name    string
	Columns []string
}

// The map is made inside the outer loop and filled by the inner one.
func columnPositions(tables []Table) map[string]map[string]int {
	out := make(map[string]map[string]int, len(tables))
	for _, t := range tables {
		pos := make(map[string]int) // want "pos is filled in a loop over t.Columns"
		for i, c := range t.Columns {
			pos[c] = i
		}
		out[t.Name] = pos
	}
	return out
}

// An empty composite literal counts the same as make without a hint.
func headerIndex(r *http.Request, names []string) map[string]string {
	vals := map[string]string{} // want "vals is filled in a loop over names"
	for _, n := range names {
		vals[n] = r.Header.Get(n)
	}
	return vals
}

// A fixed-size array.
func weekdayNames(days [7]time.Weekday) map[string]time.Weekday {
	byName := make(map[string]time.Weekday) // want "byName is filled in a loop over days"
	for _, d := range days {
		byName[d.String()] = d
	}
	return byName
}

// Keys built from the index still insert one entry per iteration.
func positions(ids []int64) map[string]int {
	idx := make(map[string]int) // want "idx is filled in a loop over ids"
	for i, id := range ids {
		idx[strconv.FormatInt(id, 10)] = i
	}
	return idx
}
