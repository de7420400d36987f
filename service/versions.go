package service

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/tdkt/tdkt/internal/jsondiff"
	"github.com/tdkt/tdkt/models"
)

// VersionView is a submitted version of a dossier.
type VersionView struct {
	Version       int               `json:"version"`
	CreatedBy     string            `json:"created_by"`
	CreatedByName string            `json:"created_by_name,omitempty"`
	CreatedAt     time.Time         `json:"created_at"`
	NomineeName   string            `json:"nominee_name"`
	Dossier       json.RawMessage   `json:"dossier"`
	Changes       []jsondiff.Change `json:"changes"` // since the previous version
}

// Versions are every submitted version of a dossier with who submitted it
// and what changed since the version before.
func (s *Service) Versions(ctx context.Context, who Caller, nominationID string) ([]VersionView, error) {
	n, err := s.VisibleNomination(ctx, who, nominationID)
	if err != nil {
		return nil, err
	}
	var rows []struct {
		models.DossierVersion
		FullName string
	}
	err = s.db.WithContext(ctx).Model(&models.DossierVersion{}).
		Select("dossier_versions.*, users.full_name").
		Joins("LEFT JOIN users ON users.id = dossier_versions.created_by").
		Where("dossier_versions.nomination_id = ?", n.ID).Order("dossier_versions.version").Scan(&rows).Error
	if err != nil {
		return nil, fmt.Errorf("versions of %s: %w", n.ID, err)
	}
	out := make([]VersionView, 0, len(rows))
	var prev []byte
	for _, r := range rows {
		doc, err := json.Marshal(map[string]any{"nominee_name": r.NomineeName, "dossier": json.RawMessage(r.Dossier)})
		if err != nil {
			return nil, fmt.Errorf("version %d of %s: %w", r.Version, n.ID, err)
		}
		v := VersionView{Version: r.Version, CreatedBy: r.CreatedBy, CreatedByName: r.FullName, CreatedAt: r.CreatedAt,
			NomineeName: r.NomineeName, Dossier: json.RawMessage(r.Dossier), Changes: []jsondiff.Change{}}
		if prev != nil {
			changes, err := jsondiff.Diff(prev, doc)
			if err != nil {
				return nil, fmt.Errorf("changes of version %d of %s: %w", r.Version, n.ID, err)
			}
			v.Changes = append(v.Changes, changes...)
		}
		prev = doc
		out = append(out, v)
	}
	return out, nil
}
