package api

import (
	"encoding/json"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/models"
)

// auditEvent describes an administrator's change, to be stored in the
// same transaction as the change itself (so the record exists exactly
// when the change does).
func (s *Server) auditEvent(c echo.Context, action, target string, detail map[string]any) models.AuditEvent {
	who := currentCaller(c)
	b, _ := json.Marshal(detail)
	return models.AuditEvent{At: s.now().UTC(), ActorID: who.User.ID, ActorName: who.User.Username, Action: action,
		Target: target, Detail: string(b), RequestID: requestID(c)}
}

// logAudit logs a committed change for the operators' log pipeline.
func (s *Server) logAudit(ev models.AuditEvent) {
	s.Log.Info("audit", "action", ev.Action, "target", ev.Target, "by", ev.ActorName, "detail", ev.Detail,
		"request_id", ev.RequestID)
}
