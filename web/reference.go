package web

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/tdkt/tdkt/routing"
)

// Reference data the pages name things with comes from the service: the
// awards and chains compiled into the server, the rounds, and the names
// of units from the service's reference cache (which every change to the
// hierarchy drops). The dossier forms' schemas, compiled into the
// server, are read once and kept here.

// refCache holds the dossier forms' schemas, which do not change while
// the server runs.
type refCache struct {
	mu      sync.Mutex
	schemas map[string]*Schema
}

// ref is the UI's cache of the dossier forms.
func (u *UI) ref() *refCache {
	u.unitsMu.Lock()
	defer u.unitsMu.Unlock()
	if u.cache == nil {
		u.cache = &refCache{schemas: map[string]*Schema{}}
	}
	return u.cache
}

// awards lists the awards.
func (rq *request) awards() ([]Award, error) { return rq.svc().Awards().Items, nil }

// chains lists the review chains.
func (rq *request) chains() []routing.Chain { return rq.svc().Awards().Chains }

// awardNames maps award codes to names.
func (rq *request) awardNames() map[string]string {
	names := map[string]string{}
	for _, a := range rq.svc().Awards().Items {
		names[string(a.Code)] = a.Name
	}
	return names
}

// formList lists the nominee kinds' forms.
func (rq *request) formList() ([]FormInfo, error) { return rq.svc().Forms(), nil }

// schema is the JSON Schema of a kind's dossier, as the API serves it.
func (rq *request) schema(kind string) (*Schema, error) {
	c := rq.ui.ref()
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.schemas[kind]; ok {
		return s, nil
	}
	js, err := rq.svc().FormSchema(kind)
	if err != nil {
		return nil, err
	}
	raw, err := json.Marshal(js)
	if err != nil {
		return nil, fmt.Errorf("schema of %s: %w", kind, err)
	}
	var s Schema
	if err := json.Unmarshal(raw, &s); err != nil {
		return nil, fmt.Errorf("schema of %s: %w", kind, err)
	}
	c.schemas[kind] = &s
	return &s, nil
}

// rounds lists the review rounds, the latest opening first.
func (rq *request) rounds() ([]Round, error) { return rq.svc().Rounds(rq.ctx()) }

// round finds one round by ID or code.
func (rq *request) round(id string) (Round, error) { return rq.svc().Round(rq.ctx(), id) }

// roundNames maps round IDs to names (empty when the rounds cannot be
// read: the pages then show IDs).
func (rq *request) roundNames() map[string]string {
	names := map[string]string{}
	rounds, err := rq.rounds()
	if err != nil {
		rq.ui.log.Warn("round names", "error", err)
	}
	for _, r := range rounds {
		names[r.ID] = r.Name
	}
	return names
}

// unitNames maps unit IDs to names, over every unit in force or ended
// (empty when they cannot be read: the pages then show IDs).
func (rq *request) unitNames() map[string]string {
	names, err := rq.svc().UnitNames(rq.ctx())
	if err != nil {
		rq.ui.log.Warn("unit names", "error", err)
		return map[string]string{}
	}
	return names
}
