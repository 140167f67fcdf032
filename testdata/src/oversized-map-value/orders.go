package store

import (
	"sync"

	"example.com/oversized-map-value/model"
)

var (
	ordersMu sync.Mutex
	// model.Order is declared in another package of this module.
	ordersByID = make(map[int64]model.Order) // want "values of 144 bytes"
)

func saveOrder(o model.Order) {
	ordersMu.Lock()
	ordersByID[o.ID] = o
	ordersMu.Unlock()
}

// Silent: the summary is 40 bytes.
var summaries = map[int64]model.OrderSummary{}

// Silent: a pointer to the big struct.
var orderRefs map[int64]*model.Order

// auditRecord embeds model.Actor (56 bytes).
type auditRecord struct {
	model.Actor
	Action   string
	Target   string
	Before   []byte
	After    []byte
	Reversed bool
}

func indexAudit(recs []auditRecord) map[string]auditRecord {
	byTarget := make(map[string]auditRecord, len(recs)) // want "values of 144 bytes"
	for _, r := range recs {
		byTarget[r.Target] = r
	}
	return byTarget
}
