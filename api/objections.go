package api

import (
	"fmt"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/models"
)

type postingView struct {
	StartsAt time.Time `json:"starts_at"`
	EndsAt   time.Time `json:"ends_at"`
}

type objectionView struct {
	ID             string     `json:"id"`
	Author         string     `json:"author"`
	Contact        string     `json:"contact,omitempty"`
	Text           string     `json:"text"`
	CreatedAt      time.Time  `json:"created_at"`
	Resolution     string     `json:"resolution,omitempty"`
	ResolvedBy     string     `json:"resolved_by,omitempty"`
	ResolvedByName string     `json:"resolved_by_name,omitempty"`
	ResolvedAt     *time.Time `json:"resolved_at,omitempty"`
}

// listObjections shows Interior a nomination's public posting and the
// objections raised during it, oldest first, with how each was resolved.
// Objectors' names and contacts are personal data: not for the nominating
// body or the reviewers.
func (s *Server) listObjections(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	db := s.DB.WithContext(c.Request().Context())
	out := map[string]any{"items": []objectionView{}, "total": 0}
	var p models.Posting
	if err := db.Where("nomination_id = ?", n.ID).Limit(1).Find(&p).Error; err != nil {
		return fmt.Errorf("load posting: %w", err)
	}
	if p.NominationID != "" {
		out["posting"] = postingView{StartsAt: p.StartsAt, EndsAt: p.EndsAt}
	}
	var objs []models.Objection
	if err := db.Where("nomination_id = ?", n.ID).Order("created_at, id").Find(&objs).Error; err != nil {
		return fmt.Errorf("load objections: %w", err)
	}
	var ids []string
	for _, o := range objs {
		if o.ResolvedBy != "" {
			ids = append(ids, o.ResolvedBy)
		}
	}
	names := map[string]string{}
	if len(ids) > 0 {
		var users []models.User
		if err := db.Select("id", "full_name").Where("id IN ?", ids).Find(&users).Error; err != nil {
			return fmt.Errorf("load resolvers: %w", err)
		}
		for _, u := range users {
			names[u.ID] = u.FullName
		}
	}
	items := make([]objectionView, 0, len(objs))
	for _, o := range objs {
		items = append(items, objectionView{ID: o.ID, Author: o.Author, Contact: o.Contact, Text: o.Text, CreatedAt: o.CreatedAt,
			Resolution: o.Resolution, ResolvedBy: o.ResolvedBy, ResolvedByName: names[o.ResolvedBy], ResolvedAt: o.ResolvedAt})
	}
	out["items"], out["total"] = items, len(items)
	return c.JSON(http.StatusOK, out)
}
