package crawler

import (
	"net"
	"testing"
)

type fakeBackend struct {
	enabled map[string]bool
}

func (b *fakeBackend) serve(c net.Conn) {
	defer c.Close()
	b.enabled["chirp"] = true
}

// Silent: the test's server loop serves the one connection the test makes.
func TestServeOne(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	b := &fakeBackend{enabled: map[string]bool{}}
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			go func() {
				defer c.Close()
				b.enabled["bird"] = true
			}()
		}
	}()
	c, err := net.Dial("tcp", ln.Addr().String())
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}
