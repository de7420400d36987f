package web

import (
	"github.com/tdkt/tdkt/routing"
)

// Reference data the pages name things with comes from the service: the
// awards and chains compiled into the server, the rounds, and the names
// of units from the service's reference cache (which every change to the
// hierarchy drops, in every process, through the reference version). The dossier forms are the service's too (forms.go).

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
