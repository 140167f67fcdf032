package edge

import (
	"net"
	"sync"
	"sync/atomic"
)

// connRegistry is embedded in Server; its field is reached as s.conns.
type connRegistry struct {
	connMu sync.Mutex
	conns  map[uint64]net.Conn
}

type Server struct {
	*connRegistry
	ln     net.Listener
	nextID atomic.Uint64
}

func NewServer(ln net.Listener) *Server {
	return &Server{ln: ln, connRegistry: &connRegistry{conns: make(map[uint64]net.Conn)}}
}

// Serve tracks every accepted connection, and nothing removes closed ones.
func (s *Server) Serve(handle func(net.Conn)) error {
	for {
		c, err := s.ln.Accept()
		if err != nil {
			return err
		}
		id := s.nextID.Add(1)
		s.connMu.Lock()
		s.conns[id] = c // not reported: nothing shows its keys ever end (MG202 needs a sibling map that drops them)
		s.connMu.Unlock()
		go handle(c)
	}
}

func (s *Server) CloseAll() {
	s.connMu.Lock()
	defer s.connMu.Unlock()
	for _, c := range s.conns {
		c.Close()
	}
}
