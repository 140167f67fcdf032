package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// Test files are analysed too; their findings carry a lower severity.
func TestLoginCreatesSession(t *testing.T) {
	s := NewServer()
	form := url.Values{"id": {"abc"}, "user": {"alice"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, req)
	if rec.Code != http.StatusNoContent {
		t.Fatalf("status %d", rec.Code)
	}
	if _, ok := s.sessions["abc"]; !ok { // want "s.sessions is guarded by s.mu"
		t.Fatal("no session for abc")
	}
}
