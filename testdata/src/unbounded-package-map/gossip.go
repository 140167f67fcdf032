package auth

import (
	"encoding/json"
	"maps"
	"net"
	"sync"
)

type gossipMessage struct {
	From  string            `json:"from"`
	Peers map[string]string `json:"peers"` // node name -> address
}

var (
	peersMu    sync.Mutex
	knownPeers = map[string]string{}
)

// listenGossip merges every peer list it hears. Nodes that leave the cluster
// are never forgotten.
func listenGossip(conn net.PacketConn) error {
	buf := make([]byte, 64<<10)
	for {
		n, _, err := conn.ReadFrom(buf)
		if err != nil {
			return err
		}
		var msg gossipMessage
		if err := json.Unmarshal(buf[:n], &msg); err != nil {
			continue
		}
		peersMu.Lock()
		maps.Copy(knownPeers, msg.Peers) // not reported: nothing shows its keys ever end (MG201 needs a sibling map that drops them)
		peersMu.Unlock()
	}
}

func peerAddr(name string) string {
	peersMu.Lock()
	defer peersMu.Unlock()
	return knownPeers[name]
}
