package catalog

import (
	"bufio"
	"errors"
	"io"
	"strings"
)

// Silent: already hinted.
func byEmail(users []User) map[string]User {
	m := make(map[string]User, len(users))
	for _, u := range users {
		m[u.Email] = u
	}
	return m
}

// Silent: an explicit hint, even 0, is the author's choice.
func teamsEmpty(users []User) map[string]bool {
	m := make(map[string]bool, 0)
	for _, u := range users {
		m[u.Team] = true
	}
	return m
}

// Silent: a filter. Only some users are inserted.
func admins(users []User) map[int64]User {
	m := make(map[int64]User)
	for _, u := range users {
		if strings.HasSuffix(u.Email, "@example.com") {
			m[u.ID] = u
		}
	}
	return m
}

// Silent: a filter written with continue.
func activeItems(items []Item) map[string]Item {
	m := map[string]Item{}
	for _, it := range items {
		if it.Price == 0 {
			continue
		}
		m[it.SKU] = it
	}
	return m
}

// Silent: the loop may stop early.
func firstDuplicate(users []User) (map[string]int64, error) {
	seen := make(map[string]int64)
	for _, u := range users {
		if _, dup := seen[u.Email]; dup {
			return nil, errors.New("duplicate email " + u.Email)
		}
		seen[u.Email] = u.ID
	}
	return seen, nil
}

// Silent: break.
func upTo(users []User, limit int) map[int64]User {
	m := make(map[int64]User)
	for _, u := range users {
		if len(m) == limit {
			break
		}
		m[u.ID] = u
	}
	return m
}

// Silent: grouping. Many users share a team, so len(users) overshoots.
func byTeam(users []User) map[string][]User {
	m := make(map[string][]User)
	for _, u := range users {
		m[u.Team] = append(m[u.Team], u)
	}
	return m
}

// Silent: counting is aggregation too.
func wordCounts(words []string) map[string]int {
	counts := make(map[string]int)
	for _, w := range words {
		counts[strings.ToLower(w)]++
	}
	return counts
}

// Silent: filled from a channel, whose length is unknown.
func collect(results <-chan Item) map[string]int64 {
	m := make(map[string]int64)
	for it := range results {
		m[it.SKU] = it.Price
	}
	return m
}

// Silent: the map is used before the loop.
func withDefault(items []Item) map[string]int64 {
	m := make(map[string]int64)
	m["default"] = 0
	for _, it := range items {
		m[it.SKU] = it.Price
	}
	return m
}

// Silent: filled line by line from a reader.
func parseEnv(r io.Reader) (map[string]string, error) {
	env := make(map[string]string)
	sc := bufio.NewScanner(r)
	for sc.Scan() {
		k, v, _ := strings.Cut(sc.Text(), "=")
		env[k] = v
	}
	return env, sc.Err()
}

// Silent: nested loops; the total is not len of either.
func allMembers(teams [][]User) map[int64]User {
	m := make(map[int64]User)
	for _, team := range teams {
		for _, u := range team {
			m[u.ID] = u
		}
	}
	return m
}

type Directory struct {
	users []User
}

func (d *Directory) list() []User { return d.users }

// Silent: the loop ranges over a call; there is no expression to hint with
// without calling it twice.
func (d *Directory) index() map[int64]User {
	m := make(map[int64]User)
	for _, u := range d.list() {
		m[u.ID] = u
	}
	return m
}

type country struct{ code, name string }

var countries = []country{{"DE", "Germany"}, {"FR", "France"}, {"JP", "Japan"}}

// Silent: a package-level map filled in init; the make is not in the loop's
// function, so there is no local statement to rewrite.
var countryByCode = make(map[string]string)

func init() {
	for _, c := range countries {
		countryByCode[c.code] = c.name
	}
}
