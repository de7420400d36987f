package service

import (
	"encoding/json"

	"github.com/tdkt/tdkt/models"
)

// Every change an administrator makes to accounts or reference data is
// kept as an AuditEvent, written in the same transaction as the change
// (the record exists exactly when the change does), and logged once the
// transaction commits, for the operators' log pipeline.

// auditEvent describes who's change, to be stored with it. detail holds
// strings, numbers and booleans only.
func (s *Service) auditEvent(who Caller, action, target string, detail map[string]any) models.AuditEvent {
	// A map of plain values always marshals; should one not, the event
	// is still written, without its detail.
	b, err := json.Marshal(detail)
	if err != nil {
		s.log.Warn("audit detail", "action", action, "target", target, "error", err)
	}
	return models.AuditEvent{At: s.now().UTC(), ActorID: who.User.ID, ActorName: who.User.Username, Action: action,
		Target: target, Detail: string(b), RequestID: who.RequestID}
}

// logAudit logs a committed change.
func (s *Service) logAudit(events ...models.AuditEvent) {
	for _, ev := range events {
		s.log.Info("audit", "action", ev.Action, "target", ev.Target, "by", ev.ActorName, "detail", ev.Detail,
			"request_id", ev.RequestID)
	}
}
