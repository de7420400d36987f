package activities

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/models/seed"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// lastMovementYear is the last year of the movement's period (2023–2030):
// no annual round is opened after it.
const lastMovementYear = 2030

// OpenAnnualRound creates year's annual round, if it does not exist, from
// the latest annual round before it — its name, window, terms, awards and
// chain moved to the new year; three tiers, and awards that no authority
// row holds on the new reference date, no longer apply — or, without one, from the seed's template. It
// returns the round's window for its workflow; Created is false when the
// round was there already or the year is past the movement's period. Run
// again, it creates nothing.
func (a *Activities) OpenAnnualRound(ctx context.Context, year int) (workflows.OpenedRound, error) {
	if year > lastMovementYear {
		return workflows.OpenedRound{}, nil
	}
	// Who holds which award is read from the cache on its own connection,
	// before the write transaction, so that the two never wait for each
	// other.
	authorities, err := a.reference().Authorities(ctx)
	if err != nil {
		return workflows.OpenedRound{}, fmt.Errorf("open the annual round of %d: %w", year, err)
	}
	var out workflows.OpenedRound
	err = a.DB.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		var existing models.Round
		err := tx.First(&existing, "code = ?", seed.AnnualRoundID(year)).Error
		if err == nil {
			out = workflows.OpenedRound{Schedule: workflows.Schedule{RoundID: existing.ID, OpensAt: existing.OpensAt, ClosesAt: existing.ClosesAt}}
			return nil
		}
		if !errors.Is(err, gorm.ErrRecordNotFound) {
			return err
		}
		r := seed.AnnualRound(year)
		var prev models.Round
		err = tx.Where("kind = ? AND period_from < ?", models.RoundAnnual, year).Order("period_from DESC").First(&prev).Error
		switch {
		case err == nil:
			r = nextYear(prev, year, r, authorities)
		case !errors.Is(err, gorm.ErrRecordNotFound):
			return err
		}
		if err := tx.Create(&r).Error; err != nil {
			return err
		}
		out = workflows.OpenedRound{Schedule: workflows.Schedule{RoundID: r.ID, OpensAt: r.OpensAt, ClosesAt: r.ClosesAt}, Created: true}
		return models.BumpReferenceVersion(tx)
	})
	if err != nil {
		return workflows.OpenedRound{}, fmt.Errorf("open the annual round of %d: %w", year, err)
	}
	if out.Created && a.Log != nil {
		a.Log.Info("annual round opened", "round", out.Schedule.RoundID, "opens_at", out.Schedule.OpensAt)
	}
	return out, nil
}

// nextYear is round prev moved to year, with the ID, code and reference
// date of the template tmpl; of prev's awards it keeps those that an
// authority of authorities holds on the new reference date.
func nextYear(prev models.Round, year int, tmpl models.Round, authorities []models.Authority) models.Round {
	shift := year - prev.PeriodFrom
	r := prev
	r.ID, r.Code, r.State, r.CreatedAt = tmpl.ID, tmpl.Code, workflows.RoundStateScheduled, tmpl.CreatedAt
	r.Name = strings.ReplaceAll(prev.Name, strconv.Itoa(prev.PeriodFrom), strconv.Itoa(year))
	r.PeriodFrom, r.PeriodTo = year, prev.PeriodTo+shift
	r.OpensAt, r.ClosesAt = prev.OpensAt.AddDate(shift, 0, 0), prev.ClosesAt.AddDate(shift, 0, 0)
	r.ReferenceDate = prev.ReferenceDate.AddDate(shift, 0, 0)
	if r.Chain == routing.ThreeTier.Code && !r.ReferenceDate.Before(routing.DistrictsAbolished) {
		r.Chain = routing.TwoTier.Code
	}
	var awards, kept []routing.Award
	if json.Unmarshal([]byte(prev.Awards), &awards) == nil {
		for _, code := range awards {
			if _, held := models.AuthorityOn(authorities, code, r.ReferenceDate); held {
				kept = append(kept, code)
			}
		}
	}
	if len(kept) == 0 {
		r.Awards = tmpl.Awards
	} else {
		b, _ := json.Marshal(kept)
		r.Awards = string(b)
	}
	return r
}
