package api

import (
	"sync"
	"time"
)

type Job struct {
	ID      string
	Payload []byte
}

type Result struct {
	Err  error
	Took time.Duration
}

// Pool runs jobs on N workers; results are read by status handlers.
type Pool struct {
	jobs chan Job
	run  func(Job) error

	mu      sync.Mutex
	results map[string]Result
}

func (p *Pool) Start(n int) {
	for i := 0; i < n; i++ {
		go p.worker()
	}
}

func (p *Pool) worker() {
	for j := range p.jobs {
		start := time.Now()
		err := p.run(j)
		p.results[j.ID] = Result{Err: err, Took: time.Since(start)} // want "p.results is guarded by p.mu"
	}
}

func (p *Pool) Status(id string) (Result, bool) {
	p.mu.Lock()
	defer p.mu.Unlock()
	r, ok := p.results[id]
	return r, ok
}

func (p *Pool) Forget(id string) {
	p.mu.Lock()
	delete(p.results, id)
	p.mu.Unlock()
}
