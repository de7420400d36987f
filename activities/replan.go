package activities

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/tdkt/tdkt/calendar"
	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/routing"
	"github.com/tdkt/tdkt/workflows"
)

// ReplanStep answers whether the unit a nomination reaches at req.At is in
// force that day in Việt Nam, and if not, the route from that step on as
// the chain and the units of the day give it: a district that ended hands
// the nomination to the level above it, an ended commune to the commune it
// became. A round that keeps the units of its reference date
// (FixedRouting) is never replanned. Only a failing database is an
// error: data that cannot be planned gives the nomination back to its
// body with the reason, so it never waits on a unit that no longer exists.
func (a *Activities) ReplanStep(ctx context.Context, req workflows.ReplanStep) (workflows.Replanned, error) {
	ref := a.reference()
	round, err := ref.Round(ctx, req.RoundID)
	if errors.Is(err, models.ErrNotFound) {
		return workflows.Replanned{}, nil
	}
	if err != nil {
		return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
	}
	if round.FixedRouting || req.Step < 0 || req.Step >= len(req.Route.Steps) {
		return workflows.Replanned{}, nil
	}
	y, m, d := req.At.In(calendar.Zone).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	step := req.Route.Steps[req.Step]
	unit, err := ref.Unit(ctx, step.UnitID)
	switch {
	case err == nil && unit.InForce(day):
		return workflows.Replanned{}, nil
	case err != nil && !errors.Is(err, models.ErrNotFound):
		return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
	}
	ended := step.UnitName + " không còn hoạt động"
	if err == nil && unit.EffectiveTo != nil {
		ended = fmt.Sprintf("%s thôi hoạt động từ ngày %s", step.UnitName, unit.EffectiveTo.UTC().Format("02/01/2006"))
	}
	giveBack := func(why string) workflows.Replanned {
		return workflows.Replanned{Stranded: true, Note: ended + "; " + why +
			" Hồ sơ được trả lại đơn vị đề nghị: rút hồ sơ này và lập hồ sơ mới theo quy định hiện hành."}
	}
	if _, held, err := ref.AuthorityOn(ctx, req.Route.Award, req.At); err != nil {
		return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
	} else if !held {
		rows, err := ref.Authorities(ctx)
		if err != nil {
			return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
		}
		why := fmt.Sprintf("không cơ quan nào có thẩm quyền %s vào ngày %s.", req.Route.Award, day.Format("02/01/2006"))
		if ended, _ := models.AuthorityAround(rows, req.Route.Award, req.At); ended != nil && ended.ValidTo != nil {
			why = fmt.Sprintf("thẩm quyền %s đã kết thúc ngày %s.", ended.Name, ended.ValidTo.UTC().Format("02/01/2006"))
		}
		return giveBack(why), nil
	}
	chain, err := routing.ChainByCode(round.Chain)
	if err != nil {
		return giveBack("đợt xét không có tuyến xét hợp lệ."), nil
	}
	chain = routing.ChainOn(chain, day)
	dir, err := ref.Directory(ctx, day)
	if err != nil {
		return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
	}
	lineage, err := ref.Lineage(ctx)
	if err != nil {
		return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
	}
	body, alsoInto := models.SuccessorOn(lineage, req.BodyUnitID, func(id string) bool { _, ok := dir.Unit(id); return ok })
	if body == "" {
		// The nominating body ended too and its successors are not
		// recorded yet: recording them runs the handover again.
		a.Log.Warn("replan: the nominating body has no successor in force yet", "nomination", req.NominationID, "body", req.BodyUnitID)
		return workflows.Replanned{}, nil
	}
	next, changed, err := routing.Replan(dir, chain, req.Route, req.Step, body)
	if errors.Is(err, routing.ErrNotRoutable) {
		return giveBack("không còn tuyến xét nào nhận hồ sơ từ cấp này."), nil
	}
	if err != nil {
		return workflows.Replanned{}, fmt.Errorf("replan %s: %w", req.NominationID, err)
	}
	if !changed {
		return workflows.Replanned{}, nil
	}
	var note strings.Builder
	fmt.Fprintf(&note, "%s; hồ sơ chuyển đến %s theo tuyến xét ngày %s (%s).",
		ended, next.Steps[req.Step].UnitName, day.Format("02/01/2006"), chain.Name)
	if body != req.BodyUnitID {
		u, _ := dir.Unit(body)
		fmt.Fprintf(&note, " Đơn vị đề nghị nay thuộc %s", u.Name)
		if len(alsoInto) > 0 {
			names := make([]string, 0, len(alsoInto))
			for _, id := range alsoInto {
				if o, ok := dir.Unit(id); ok {
					names = append(names, o.Name)
				}
			}
			fmt.Fprintf(&note, " (một phần cũng thuộc %s)", strings.Join(names, ", "))
		}
		note.WriteString(".")
	}
	return workflows.Replanned{Route: &next, Note: note.String()}, nil
}

// StrandedNominations lists, by ID after page.After, the nominations in
// review that wait at a unit not in force on the day of page.At in Việt
// Nam, in rounds that route by the day.
func (a *Activities) StrandedNominations(ctx context.Context, page workflows.StrandedPage) ([]string, error) {
	y, m, d := page.At.In(calendar.Zone).Date()
	day := time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	dir, err := a.reference().Directory(ctx, day)
	if err != nil {
		return nil, fmt.Errorf("stranded nominations: %w", err)
	}
	var units []models.Unit
	if err := a.DB.WithContext(ctx).Select("id").Where("effective_to IS NOT NULL").Find(&units).Error; err != nil {
		return nil, fmt.Errorf("stranded nominations: ended units: %w", err)
	}
	var ended []string
	for _, u := range units {
		if _, ok := dir.Unit(u.ID); !ok {
			ended = append(ended, u.ID)
		}
	}
	if len(ended) == 0 {
		return nil, nil
	}
	var ids []string
	err = a.DB.WithContext(ctx).Model(&models.Nomination{}).
		Joins("JOIN rounds ON rounds.id = nominations.round_id AND rounds.fixed_routing = ?", false).
		Where("nominations.status = ? AND nominations.current_unit_id IN ? AND nominations.id > ?",
			workflows.StatusInReview, ended, page.After).
		Order("nominations.id").Limit(page.Limit).Pluck("nominations.id", &ids).Error
	if err != nil {
		return nil, fmt.Errorf("stranded nominations: %w", err)
	}
	return ids, nil
}
