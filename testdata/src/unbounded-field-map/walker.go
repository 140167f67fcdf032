package edge

import "strings"

// Silent: walker lives for one call of resolveIncludes; it has no lock and is
// never stored anywhere long-lived, so its map dies with it.
type walker struct {
	visited map[string]bool
	read    func(name string) string
	out     []string
}

func (w *walker) visit(name string) {
	if w.visited[name] {
		return
	}
	w.visited[name] = true
	for _, line := range strings.Split(w.read(name), "\n") {
		if inc, ok := strings.CutPrefix(line, "#include "); ok {
			w.visit(strings.Trim(inc, `"`))
		}
	}
	w.out = append(w.out, name)
}

func resolveIncludes(root string, read func(string) string) []string {
	w := &walker{visited: map[string]bool{}, read: read}
	w.visit(root)
	return w.out
}
