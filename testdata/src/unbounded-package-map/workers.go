package auth

import "sync"

type Worker struct{ Name string }

var (
	workerMu   sync.Mutex
	workers    = map[string]*Worker{}
	workerJobs = map[string]int{}
	topicSubs  = map[string][]chan string{}
	topicSent  = map[string]int{}
	grants     = map[string]string{}
	grantUses  = map[string]int{}
)

func addWorker(w *Worker) {
	workerMu.Lock()
	defer workerMu.Unlock()
	workers[w.Name] = w
}

func assign(w *Worker) {
	workerMu.Lock()
	defer workerMu.Unlock()
	workerJobs[w.Name]++ // want "map workerJobs only grows"
}

func removeWorker(name string) {
	workerMu.Lock()
	defer workerMu.Unlock()
	delete(workers, name)
}

func subscribe(topic string, ch chan string) {
	workerMu.Lock()
	defer workerMu.Unlock()
	topicSubs[topic] = append(topicSubs[topic], ch)
}

func publish(topic, msg string) {
	workerMu.Lock()
	defer workerMu.Unlock()
	for _, ch := range topicSubs[topic] {
		ch <- msg
	}
	topicSent[topic]++ // want "map topicSent only grows"
}

func unsubscribeAll(topic string) {
	workerMu.Lock()
	defer workerMu.Unlock()
	delete(topicSubs, topic)
}

func useGrant(code string) string {
	workerMu.Lock()
	defer workerMu.Unlock()
	grantUses[code]++ // want "map grantUses only grows"
	return grants[code]
}

func issueGrant(code, user string) {
	workerMu.Lock()
	defer workerMu.Unlock()
	grants[code] = user
}

func revokeGrant(code string) {
	workerMu.Lock()
	defer workerMu.Unlock()
	delete(grants, code)
}
