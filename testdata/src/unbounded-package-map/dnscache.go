package auth

import (
	"net"
	"sync"
)

const maxDNSEntries = 10_000

var (
	dnsMu    sync.Mutex
	dnsCache = make(map[string][]net.IP)
)

// Silent: bounded by a len check before the insert.
func resolve(host string) ([]net.IP, error) {
	dnsMu.Lock()
	ips, ok := dnsCache[host]
	dnsMu.Unlock()
	if ok {
		return ips, nil
	}
	ips, err := net.LookupIP(host)
	if err != nil {
		return nil, err
	}
	dnsMu.Lock()
	defer dnsMu.Unlock()
	if len(dnsCache) >= maxDNSEntries {
		return ips, nil
	}
	dnsCache[host] = ips
	return ips, nil
}

var (
	avatarMu    sync.Mutex
	avatarCache = map[string][]byte{}
)

// Silent: the other shape of the same bound, insert only while below the cap.
func cacheAvatar(user string, png []byte) {
	avatarMu.Lock()
	defer avatarMu.Unlock()
	if len(avatarCache) < 512 {
		avatarCache[user] = png
	}
}
