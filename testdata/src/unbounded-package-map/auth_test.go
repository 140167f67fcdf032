package auth

import (
	"net/http"
	"testing"
)

// Silent: a package-level map in a test file, filled by a test helper. Test
// binaries are short-lived.
var recordedCalls = map[string]int{}

type fakeProvider struct{ name string }

func (f fakeProvider) Authenticate(*http.Request) (string, error) {
	recordedCalls[f.name]++
	return f.name, nil
}

func TestRegister(t *testing.T) {
	Register("fake", fakeProvider{name: "fake"})
	if got := Providers(); len(got) != 1 || got[0] != "fake" {
		t.Fatalf("Providers() = %v", got)
	}
	if mimeType(".css") == "" || parseScopes([]string{"a"})["a"] != true {
		t.Fatal("helpers broken")
	}
}
