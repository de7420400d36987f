package web

import (
	"encoding/json"
	"maps"
	"sync"
	"time"
)

// Reference data the pages name things with. Awards and dossier forms are
// compiled into the server, so they are read once; unit names are kept for
// a few minutes.

// refCache holds what does not change while the server runs.
type refCache struct {
	mu      sync.Mutex
	awards  []Award
	chains  []Chain
	forms   []FormInfo
	schemas map[string]*Schema
}

var unitNamesTTL = 10 * time.Minute

// ref is the UI's cache of reference data.
func (u *UI) ref() *refCache {
	u.unitsMu.Lock()
	defer u.unitsMu.Unlock()
	if u.cache == nil {
		u.cache = &refCache{schemas: map[string]*Schema{}}
	}
	return u.cache
}

// awards lists the awards (GET /api/v1/awards).
func (rq *request) awards() ([]Award, error) {
	c := rq.ui.ref()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.awards != nil {
		return c.awards, nil
	}
	var out struct {
		Items  []Award `json:"items"`
		Chains []Chain `json:"chains"`
	}
	if err := rq.get("/api/v1/awards", &out); err != nil {
		return nil, err
	}
	c.awards, c.chains = out.Items, out.Chains
	return c.awards, nil
}

// chains lists the review chains (GET /api/v1/awards).
func (rq *request) chains() []Chain {
	if _, err := rq.awards(); err != nil {
		return nil
	}
	c := rq.ui.ref()
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.chains
}

// awardNames maps award codes to names.
func (rq *request) awardNames() map[string]string {
	names := map[string]string{}
	awards, _ := rq.awards()
	for _, a := range awards {
		names[a.Code] = a.Name
	}
	return names
}

// formList lists the nominee kinds' forms (GET /api/v1/forms).
func (rq *request) formList() ([]FormInfo, error) {
	c := rq.ui.ref()
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.forms != nil {
		return c.forms, nil
	}
	var out list[FormInfo]
	if err := rq.get("/api/v1/forms", &out); err != nil {
		return nil, err
	}
	c.forms = out.Items
	return c.forms, nil
}

// schema is the JSON Schema of a kind's dossier (GET /api/v1/forms/{kind}).
func (rq *request) schema(kind string) (*Schema, error) {
	c := rq.ui.ref()
	c.mu.Lock()
	defer c.mu.Unlock()
	if s, ok := c.schemas[kind]; ok {
		return s, nil
	}
	res := rq.call("GET", "/api/v1/forms/"+seg(kind), nil)
	if !res.ok() {
		return nil, &apiError{res}
	}
	var s Schema
	if err := json.Unmarshal(res.Body, &s); err != nil {
		return nil, err
	}
	c.schemas[kind] = &s
	return &s, nil
}

// rounds lists the review rounds (GET /api/v1/rounds).
func (rq *request) rounds() ([]Round, error) {
	var out list[Round]
	if err := rq.get("/api/v1/rounds", &out); err != nil {
		return nil, err
	}
	return out.Items, nil
}

// round finds one round by ID or code.
func (rq *request) round(id string) (Round, error) {
	rounds, err := rq.rounds()
	if err != nil {
		return Round{}, err
	}
	for _, r := range rounds {
		if r.ID == id || r.Code == id {
			return r, nil
		}
	}
	return Round{}, &apiError{&apiResponse{Status: 404, Body: []byte(`{"status":404,"detail":"Không có đợt xét này.","detail_en":"No such round."}`)}}
}

// roundNames maps round IDs to names.
func (rq *request) roundNames() map[string]string {
	names := map[string]string{}
	rounds, _ := rq.rounds()
	for _, r := range rounds {
		names[r.ID] = r.Name
	}
	return names
}

// unitNames maps unit IDs to names, over the units in force today and at
// every round's reference date (a 2024 round names its districts, which no
// longer exist).
func (rq *request) unitNames() map[string]string {
	u := rq.ui
	u.unitsMu.Lock()
	if u.units != nil && time.Since(u.unitsAt) < unitNamesTTL {
		defer u.unitsMu.Unlock()
		return maps.Clone(u.units)
	}
	u.unitsMu.Unlock()
	names := map[string]string{}
	dates := []string{""}
	if rounds, err := rq.rounds(); err == nil {
		for _, r := range rounds {
			dates = append(dates, r.ReferenceDate)
		}
	}
	seen := map[string]bool{}
	for _, d := range dates {
		if seen[d] {
			continue
		}
		seen[d] = true
		path := "/api/v1/units"
		if d != "" {
			path += "?at=" + d
		}
		var units list[Unit]
		if rq.get(path, &units) != nil {
			return names // not cached: try again next time
		}
		for _, un := range units.Items {
			names[un.ID] = un.Name
		}
	}
	u.unitsMu.Lock()
	u.units, u.unitsAt = maps.Clone(names), time.Now()
	u.unitsMu.Unlock()
	return names
}
