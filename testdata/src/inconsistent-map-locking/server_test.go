package api

import (
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

func login(s *Server, id string) {
	form := url.Values{"id": {id}, "user": {"alice"}}
	req := httptest.NewRequest(http.MethodPost, "/login", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	s.ServeHTTP(httptest.NewRecorder(), req)
}

// Silent: a test that pokes the server it built from the test goroutine, with
// nothing else running, races with nothing.
func TestLoginCreatesSession(t *testing.T) {
	s := NewServer()
	login(s, "abc")
	if _, ok := s.sessions["abc"]; !ok {
		t.Fatal("no session for abc")
	}
}

// A test that reads the map from a goroutine while it logs in is racy;
// test-file findings carry a lower severity.
func TestConcurrentLogin(t *testing.T) {
	s := NewServer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		if _, ok := s.sessions["abc"]; ok { // want "s.sessions is guarded by s.mu"
			t.Log("login already done")
		}
	}()
	login(s, "abc")
	<-done
}

// Silent: the test body's own accesses are not judged, even beside a
// goroutine (it may have joined it; only code inside goroutines is).
func TestLoginThenRead(t *testing.T) {
	s := NewServer()
	done := make(chan struct{})
	go func() {
		defer close(done)
		login(s, "abc")
	}()
	<-done
	if _, ok := s.sessions["abc"]; !ok {
		t.Fatal("no session")
	}
}
