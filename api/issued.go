package api

import (
	"fmt"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
)

// issuedView is the certificate issued for a nomination and its decision.
type issuedView struct {
	certificateView
	DecisionID     string `json:"decision_id"`
	DecisionNumber string `json:"decision_number"`
	SignedOn       string `json:"signed_on"`
}

// issuedFor returns the certificate issued for a nomination, nil if none.
func (s *Server) issuedFor(c echo.Context, nominationID string) (*issuedView, error) {
	db := s.DB.WithContext(c.Request().Context())
	var cert models.Certificate
	if err := db.Where("nomination_id = ?", nominationID).Limit(1).Find(&cert).Error; err != nil {
		return nil, fmt.Errorf("load certificate of %s: %w", nominationID, err)
	}
	if cert.ID == "" {
		return nil, nil
	}
	var d models.Decision
	if err := db.First(&d, "id = ?", cert.DecisionID).Error; err != nil {
		return nil, fmt.Errorf("decision of certificate %s: %w", cert.ID, err)
	}
	return &issuedView{certificateView: viewCertificate(cert, s.publicURL(c)),
		DecisionID: d.ID, DecisionNumber: d.Number, SignedOn: d.SignedOn.In(calendar.Zone).Format(time.DateOnly)}, nil
}
