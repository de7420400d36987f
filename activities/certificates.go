package activities

import (
	"context"
	"errors"
	"fmt"

	"go.temporal.io/sdk/activity"
	"go.temporal.io/sdk/temporal"

	"github.com/tdkt/tdkt/certstore"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// certificates is the store of issued certificates' PDFs the activities
// write.
func (a *Activities) certificates() *certstore.Store {
	return &certstore.Store{DB: a.DB, Ref: a.reference(), Dir: a.DataDir, Fonts: a.Fonts, Signer: a.Signer}
}

// RenderCertificates renders, signs, stores and hashes the PDFs of one
// batch of a decision's certificates (by register number), skipping those
// stored already and restoring those whose file is lost. A certificate that
// cannot be restored (its signed file is gone, or its bytes differ from the
// recorded hash) fails the activity for good: retrying cannot help.
func (a *Activities) RenderCertificates(ctx context.Context, b workflows.CertificateBatch) (int, error) {
	db := a.DB.WithContext(ctx)
	var d models.Decision
	if err := db.First(&d, "id = ?", b.DecisionID).Error; err != nil {
		return 0, fmt.Errorf("decision %s: %w", b.DecisionID, err)
	}
	certs, err := models.DecisionCertificates(db, d.ID, false, b.Offset, b.Limit)
	if err != nil {
		return 0, err
	}
	ids := make([]string, len(certs))
	for i, c := range certs {
		ids[i] = c.NominationID
	}
	noms, err := models.NominationsWithoutDossier(db, "", ids)
	if err != nil {
		return 0, err
	}
	base := b.BaseURL
	if base == "" {
		base = a.BaseURL
	}
	store := a.certificates()
	written := 0
	for i := range certs {
		// One at a time, heartbeating, so that a worker lost mid-batch is
		// noticed within the heartbeat timeout, not the batch's.
		n, err := store.Put(ctx, d, certs[i:i+1], noms, base, b.At)
		written += n
		if errors.Is(err, certstore.ErrIrreparable) {
			return written, temporal.NewNonRetryableApplicationError(err.Error(), "Irreparable", err)
		}
		if err != nil {
			return written, err
		}
		if activity.IsActivity(ctx) {
			activity.RecordHeartbeat(ctx, i)
		}
	}
	return written, nil
}
