package auth

import (
	"context"
	"time"
)

func expireTokens(ctx context.Context, every time.Duration) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case now := <-t.C:
			tokensMu.Lock()
			for tok, exp := range tokens {
				if now.After(exp) {
					delete(tokens, tok)
				}
			}
			tokensMu.Unlock()
		}
	}
}
