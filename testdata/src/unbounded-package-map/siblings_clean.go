package auth

import "sync"

var (
	cacheMu    sync.Mutex
	avatarURLs = map[string]string{}
	avatarErrs = map[string]error{}
	nonceSeen  = map[string]bool{}
	nonceAt    = map[string]int64{}
	shardHits  = map[string]int{}
	hostConns  = map[string]int{}
)

// fetchAvatar drops an old error on a later success: a lookup, not the end of a user.
func fetchAvatar(user string, fetch func(string) (string, error)) string {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	if u, ok := avatarURLs[user]; ok {
		return u
	}
	u, err := fetch(user)
	if err != nil {
		avatarErrs[user] = err
		return ""
	}
	delete(avatarErrs, user)
	avatarURLs[user] = u
	return u
}

// Both maps lose the nonce when it expires.
func rememberNonce(n string, at int64) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	nonceSeen[n] = true
	nonceAt[n] = at
}

func expireNonce(n string) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	delete(nonceSeen, n)
	delete(nonceAt, n)
}

// Counted by shard, dropped by host: different keys.
func countConn(host, shard string) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	hostConns[host]++
	shardHits[shard]++
}

func closeHost(host string) {
	cacheMu.Lock()
	defer cacheMu.Unlock()
	delete(hostConns, host)
}
