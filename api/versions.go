package api

import (
	"encoding/json"
	"net/http"
	"time"

	"github.com/labstack/echo/v4"

	"github.com/tdkt/tdkt/internal/jsondiff"
	"github.com/tdkt/tdkt/models"
)

type versionView struct {
	Version       int               `json:"version"`
	CreatedBy     string            `json:"created_by"`
	CreatedByName string            `json:"created_by_name,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
	NomineeName   string            `json:"nominee_name"`
	Dossier       json.RawMessage   `json:"dossier"`
	Changes       []jsondiff.Change `json:"changes"` // since the previous version
}

// listVersions returns every submitted version of a dossier with who
// submitted it and what changed since the version before.
func (s *Server) listVersions(c echo.Context) error {
	n, err := s.loadVisible(c)
	if err != nil {
		return err
	}
	var rows []struct {
		models.DossierVersion
		FullName string
	}
	err = s.DB.WithContext(c.Request().Context()).Model(&models.DossierVersion{}).
		Select("dossier_versions.*, users.full_name").
		Joins("LEFT JOIN users ON users.id = dossier_versions.created_by").
		Where("dossier_versions.nomination_id = ?", n.ID).Order("dossier_versions.version").Scan(&rows).Error
	if err != nil {
		return err
	}
	out := make([]versionView, 0, len(rows))
	var prev []byte
	for _, r := range rows {
		doc, _ := json.Marshal(map[string]any{"nominee_name": r.NomineeName, "dossier": json.RawMessage(r.Dossier)})
		v := versionView{Version: r.Version, CreatedBy: r.CreatedBy, CreatedByName: r.FullName, CreatedAt: r.CreatedAt,
			NomineeName: r.NomineeName, Dossier: json.RawMessage(r.Dossier), Changes: []jsondiff.Change{}}
		if prev != nil {
			changes, err := jsondiff.Diff(prev, doc)
			if err != nil {
				return err
			}
			v.Changes = append(v.Changes, changes...)
		}
		prev = doc
		out = append(out, v)
	}
	return c.JSON(http.StatusOK, map[string]any{"items": out, "total": len(out)})
}
