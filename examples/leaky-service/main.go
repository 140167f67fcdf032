// Command leaky-service is a small catalog API with one instance of each
// map hazard mapguard detects (see README.md and the BUG(MGxxx) comments).
// It serves net/http/pprof and expvar on -debug-addr (localhost:6060) and can
// load itself with -load N to make its leaky maps grow.
package main

import (
	"context"
	"errors"
	_ "expvar" // /debug/vars on the default mux
	"flag"
	"fmt"
	"log"
	"math/rand/v2"
	"net/http"
	_ "net/http/pprof" // /debug/pprof on the default mux
	"net/url"
	"os"
	"os/signal"
	"strings"
	"syscall"
	"time"
)

func main() {
	cfg, err := parseConfig(os.Args[1:])
	if errors.Is(err, flag.ErrHelp) {
		os.Exit(0)
	}
	if err != nil {
		os.Exit(2)
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()

	app := NewApp(cfg)
	publishVars(app)

	go func() {
		// The default mux carries /debug/pprof/ and /debug/vars.
		log.Printf("debug endpoints on http://%s/debug/pprof/ and /debug/vars", cfg.DebugAddr)
		if err := http.ListenAndServe(cfg.DebugAddr, nil); err != nil {
			log.Printf("debug server: %v", err)
		}
	}()

	go app.sessions.janitor(ctx, time.Minute)
	go app.metrics.flushLoop(ctx, 10*time.Second)
	go app.active.rotateLoop(ctx, time.Minute)
	go app.limiter.sweep(ctx, 5*time.Minute)

	srv := &http.Server{Addr: cfg.Addr, Handler: app.routes(), ReadHeaderTimeout: 5 * time.Second}
	go func() {
		<-ctx.Done()
		shutdown, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		srv.Shutdown(shutdown)
	}()

	if cfg.Load > 0 {
		loadCtx := ctx
		if cfg.LoadTimeout > 0 {
			var cancel context.CancelFunc
			loadCtx, cancel = context.WithTimeout(ctx, cfg.LoadTimeout)
			defer cancel()
		}
		for i := range cfg.Load {
			go runClient(loadCtx, "http://"+cfg.Addr, i)
		}
		log.Printf("load: %d clients", cfg.Load)
	}

	log.Printf("serving on http://%s", cfg.Addr)
	if err := srv.ListenAndServe(); err != nil && !errors.Is(err, http.ErrServerClosed) {
		log.Fatal(err)
	}
}

// runClient is one built-in load client: it tries logins with made-up user
// names (each new name is a new loginFailures and lastFailure entry) and pages through the
// catalog with ever-new query strings (each a new cache entry).
func runClient(ctx context.Context, base string, id int) {
	client := &http.Client{Timeout: 5 * time.Second}
	addr := fmt.Sprintf("10.%d.%d.%d", id%256, rand.IntN(256), rand.IntN(256))
	for n := 0; ctx.Err() == nil; n++ {
		form := url.Values{"user": {fmt.Sprintf("user-%d-%d", id, n)}, "password": {"guess"}}
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, base+"/login", strings.NewReader(form.Encode()))
		if err != nil {
			return
		}
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("X-Forwarded-For", addr)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}

		page := fmt.Sprintf("%s/api/items?page=%d&size=%d&client=%d", base, rand.IntN(30), 10+rand.IntN(20), n)
		req, err = http.NewRequestWithContext(ctx, http.MethodGet, page, nil)
		if err != nil {
			return
		}
		req.Header.Set("X-Forwarded-For", addr)
		if resp, err := client.Do(req); err == nil {
			resp.Body.Close()
		}
	}
}
