package edge

import "sync"

type Job struct {
	ID   int
	Spec string
}

// Scheduler cancels jobs but counts retries forever.
type Scheduler struct {
	mu      sync.Mutex
	jobs    map[int]*Job
	retries map[int]int
}

func (s *Scheduler) Retry(job *Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.jobs[job.ID] = job
	s.retries[job.ID]++ // want "Scheduler.retries only grows"
}

func (s *Scheduler) CancelJob(j *Job) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.jobs, j.ID)
}
