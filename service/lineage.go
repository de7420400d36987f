package service

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.temporal.io/sdk/client"
	"gorm.io/gorm"

	"github.com/tdkt/tdkt/models"
	"github.com/tdkt/tdkt/workflows"
)

// The lineage of reorganised units: which units an ended one went into,
// whole or in part, so that a new unit sees its predecessors' nominations
// and awards; and the administrator's explicit move of an ended unit's
// accounts to its successor. Both are audited; neither happens by itself.

// LineageView is one unit of another's lineage and its share.
type LineageView struct {
	ID        string  `json:"id"`
	Code      string  `json:"code,omitempty"`
	Name      string  `json:"name"`
	Share     string  `json:"share"`
	ValidFrom string  `json:"valid_from"`
	ValidTo   *string `json:"valid_to,omitempty"`
}

// lineageViews are unit id's predecessors and successors.
func (s *Service) lineageViews(ctx context.Context, id string) (preds, succs []LineageView, err error) {
	l, err := models.LineageOf(ctx, s.db, id)
	if err != nil {
		return nil, nil, err
	}
	ids := make([]string, 0, len(l.Predecessors)+len(l.Successors))
	for _, r := range l.Predecessors {
		ids = append(ids, r.PredecessorID)
	}
	for _, r := range l.Successors {
		ids = append(ids, r.SuccessorID)
	}
	var units []models.Unit
	if len(ids) > 0 {
		if err := s.db.WithContext(ctx).Where("id IN ?", ids).Find(&units).Error; err != nil {
			return nil, nil, fmt.Errorf("lineage of %s: %w", id, err)
		}
	}
	byID := map[string]models.Unit{}
	for _, u := range units {
		byID[u.ID] = u
	}
	view := func(other, share string) LineageView {
		u := byID[other]
		uv := ViewUnit(u, "")
		return LineageView{ID: other, Code: u.Code, Name: u.Name, Share: share, ValidFrom: uv.ValidFrom, ValidTo: uv.ValidTo}
	}
	preds, succs = []LineageView{}, []LineageView{}
	for _, r := range l.Predecessors {
		preds = append(preds, view(r.PredecessorID, r.Share))
	}
	for _, r := range l.Successors {
		succs = append(succs, view(r.SuccessorID, r.Share))
	}
	return preds, succs, nil
}

// SuccessorInput is one unit an ended unit went into.
type SuccessorInput struct {
	ID    string `json:"id"`
	Share string `json:"share"`
}

// SuccessorsInput is the whole of an ended unit's successors: one that
// took it whole, or several that took a part each.
type SuccessorsInput struct {
	Successors []SuccessorInput `json:"successors"`
}

// SetSuccessors records which units the ended unit id went into,
// replacing what was recorded. Every part of it must go somewhere: one
// successor takes it whole, or two or more take a part each. A successor
// must start on or after the day the unit ends, and no unit may come,
// however far back, from itself.
func (s *Service) SetSuccessors(ctx context.Context, who Caller, id string, in SuccessorsInput) (UnitDetailView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return UnitDetailView{}, err
	}
	var ev models.AuditEvent
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		if err := models.LockHierarchy(tx); err != nil {
			return err
		}
		u, err := loadUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		rows, errs, err := checkSuccessors(ctx, tx, u, in.Successors)
		if err != nil {
			return err
		}
		if err := InvalidIf(errs); err != nil {
			return err
		}
		if err := models.SetSuccessors(ctx, tx, u.ID, rows); err != nil {
			return err
		}
		detail := map[string]any{}
		for _, r := range rows {
			detail[r.SuccessorID] = r.Share
		}
		ev = s.auditEvent(who, "unit.successors", u.ID, detail)
		if err := tx.Create(&ev).Error; err != nil {
			return err
		}
		return models.BumpReferenceVersion(tx)
	})
	if err := failed(err, "successors of "+id); err != nil {
		return UnitDetailView{}, err
	}
	s.logAudit(ev)
	s.handOver(ctx)
	return s.changedUnit(ctx, id)
}

// handOver runs the daily handover now, so the nominations waiting at a
// unit whose successors were just recorded go there at once rather than
// after midnight. Without the engine, or before a worker created the
// schedule, the next daily run does it.
func (s *Service) handOver(ctx context.Context) {
	if s.temporal == nil {
		return
	}
	err := s.temporal.ScheduleClient().GetHandle(ctx, workflows.HandoverScheduleID).Trigger(ctx, client.ScheduleTriggerOptions{})
	if err != nil {
		s.log.Warn("trigger the handover", "error", err)
	}
}

// checkSuccessors applies the rules of an ended unit's successors and
// returns them as rows.
func checkSuccessors(ctx context.Context, tx *gorm.DB, u models.Unit, in []SuccessorInput) ([]models.UnitLineage, []FieldError, error) {
	var errs []FieldError
	add := func(ptr, vi, en string) { errs = append(errs, FieldError{Pointer: ptr, Message: vi, MessageEN: en}) }
	if u.EffectiveTo == nil {
		add("", u.Name+" chưa ngừng hoạt động: đặt ngày ngừng hoạt động (effective_to) trước khi ghi đơn vị kế thừa.",
			u.Name+" has not ended: set its effective_to before recording its successors.")
		return nil, errs, nil
	}
	if len(in) == 0 {
		errs = append(errs, Required("/successors"))
		return nil, errs, nil
	}
	all, err := models.AllLineage(ctx, tx)
	if err != nil {
		return nil, nil, err
	}
	var rows []models.UnitLineage
	full, seen := 0, map[string]bool{}
	for i, sc := range in {
		ptr := "/successors/" + strconv.Itoa(i)
		if sc.Share != models.ShareFull && sc.Share != models.SharePartial {
			add(ptr+"/share", "Phần kế thừa phải là full (toàn bộ) hoặc partial (một phần).", "The share must be full or partial.")
		}
		if sc.Share == models.ShareFull {
			full++
		}
		next, err := models.LoadUnit(ctx, tx, sc.ID)
		switch {
		case errors.Is(err, models.ErrNotFound):
			add(ptr+"/id", "Không có đơn vị "+sc.ID+".", "No such unit "+sc.ID+".")
			continue
		case err != nil:
			return nil, nil, err
		case seen[sc.ID]:
			add(ptr+"/id", "Đơn vị "+next.Name+" đã có trong danh sách.", next.Name+" is listed twice.")
			continue
		case next.EffectiveFrom.Before(*u.EffectiveTo):
			add(ptr+"/id", next.Name+" có hiệu lực từ "+viDate(next.EffectiveFrom)+", trước khi "+u.Name+" ngừng hoạt động ("+viDate(*u.EffectiveTo)+").",
				next.Name+" is in force from "+next.EffectiveFrom.Format(time.DateOnly)+", before "+u.Name+" ends ("+u.EffectiveTo.Format(time.DateOnly)+").")
			continue
		case slices.Contains(models.WithPredecessors(all, u.ID), sc.ID):
			add(ptr+"/id", u.Name+" được hình thành (trực tiếp hoặc gián tiếp) từ "+next.Name+": kế thừa vòng tròn.",
				u.Name+" comes, directly or not, from "+next.Name+": the lineage would be a cycle.")
			continue
		}
		seen[sc.ID] = true
		rows = append(rows, models.UnitLineage{PredecessorID: u.ID, SuccessorID: sc.ID, Share: sc.Share})
	}
	switch {
	case full > 1 || full == 1 && len(in) > 1:
		add("/successors", "Một đơn vị chuyển toàn bộ (full) vào đúng một đơn vị; khi chia cho nhiều đơn vị, mỗi phần là partial.",
			"A unit goes whole (full) into exactly one unit; divided among several, each share is partial.")
	case full == 0 && len(in) == 1:
		add("/successors/0/share", "Chỉ một phần của "+u.Name+" được giao: ghi các đơn vị nhận phần còn lại, hoặc share full nếu đơn vị này nhận toàn bộ.",
			"Only part of "+u.Name+" is assigned: list the units that took the rest, or share full if this one took it all.")
	}
	return rows, errs, nil
}

// SucceedInput names the successor that takes an ended unit's accounts;
// it may be left out when the unit has one successor.
type SucceedInput struct {
	To string `json:"to"`
}

// SucceedView says which accounts were moved where.
type SucceedView struct {
	From     UnitView `json:"from"`
	To       UnitView `json:"to"`
	Accounts []string `json:"accounts"`
}

// Succeed moves the accounts of the ended unit id to its successor, each
// move audited. It is the administrator's explicit step: accounts are
// never moved by a reorganisation on its own.
func (s *Service) Succeed(ctx context.Context, who Caller, id string, in SucceedInput) (SucceedView, error) {
	if err := who.Require(models.RoleAdmin); err != nil {
		return SucceedView{}, err
	}
	var (
		out    SucceedView
		events []models.AuditEvent
	)
	today := s.today()
	err := s.db.WithContext(ctx).Transaction(func(tx *gorm.DB) error {
		u, err := loadUnit(ctx, tx, id)
		if err != nil {
			return err
		}
		if u.InForce(today) || u.EffectiveTo == nil {
			return Invalid(FieldError{Pointer: "", Message: u.Name + " còn hoạt động: chỉ chuyển tài khoản của đơn vị đã ngừng hoạt động.",
				MessageEN: u.Name + " is still in force: only an ended unit's accounts are moved."})
		}
		l, err := models.LineageOf(ctx, tx, u.ID)
		if err != nil {
			return err
		}
		to := in.To
		if to == "" && len(l.Successors) == 1 {
			to = l.Successors[0].SuccessorID
		}
		if !slices.ContainsFunc(l.Successors, func(r models.UnitLineage) bool { return r.SuccessorID == to }) {
			names := make([]string, 0, len(l.Successors))
			for _, r := range l.Successors {
				names = append(names, r.SuccessorID)
			}
			msg, en := "Chọn đơn vị kế thừa của "+u.Name+" (to): ", "Choose one of "+u.Name+"'s successors (to): "
			if len(names) == 0 {
				msg, en = u.Name+" chưa có đơn vị kế thừa: ghi đơn vị kế thừa trước (PUT /units/"+u.ID+"/successors).",
					u.Name+" has no successor recorded: record its successors first (PUT /units/"+u.ID+"/successors)."
			} else {
				msg, en = msg+strings.Join(names, ", "), en+strings.Join(names, ", ")
			}
			return Invalid(FieldError{Pointer: "/to", Message: msg, MessageEN: en})
		}
		next, err := loadUnit(ctx, tx, to)
		if err != nil {
			return err
		}
		if !next.InForce(today) {
			return Invalid(FieldError{Pointer: "/to", Message: next.Name + " không còn hoạt động.", MessageEN: next.Name + " is no longer in force."})
		}
		moved, err := models.MoveAccounts(ctx, tx, u.ID, next.ID)
		if err != nil {
			return err
		}
		for _, uid := range moved {
			events = append(events, s.auditEvent(who, "user.succeed", uid, map[string]any{"from_unit": u.ID, "to_unit": next.ID}))
		}
		for i := range events {
			if err := tx.Create(&events[i]).Error; err != nil {
				return err
			}
		}
		out = SucceedView{From: ViewUnit(u, ""), To: ViewUnit(next, ""), Accounts: append([]string{}, moved...)}
		return nil
	})
	if err := failed(err, "succeed "+id); err != nil {
		return SucceedView{}, err
	}
	s.logAudit(events...)
	return out, nil
}

// LegalKindList is every legal kind a unit may have, once each, in the
// order of models.UnitKinds.
func LegalKindList() []string {
	var out []string
	for _, k := range models.UnitKinds {
		for _, l := range models.LegalKinds[k] {
			if !slices.Contains(out, l) {
				out = append(out, l)
			}
		}
	}
	return out
}

// bodyNotInForce refuses a submission by a unit not in force on the
// round's reference date, saying what to do: a unit the reform ended names
// its successors (whose accounts the administrator moves it to), a unit
// formed after the date names the date.
func (s *Service) bodyNotInForce(ctx context.Context, unitID string, round models.Round) error {
	u, err := models.LoadUnit(ctx, s.db, unitID)
	if err != nil {
		return fmt.Errorf("unit %s: %w", unitID, err)
	}
	ref := round.ReferenceDate
	if ref.Before(u.EffectiveFrom) {
		return Invalid(FieldError{Pointer: "/round_id",
			Message: fmt.Sprintf("%s có hiệu lực từ %s, sau ngày tham chiếu %s của %s: chọn một đợt xét có ngày tham chiếu từ ngày đó.",
				u.Name, viDate(u.EffectiveFrom), viDate(ref), round.Name),
			MessageEN: fmt.Sprintf("%s is in force from %s, after the reference date %s of %s: choose a round whose reference date is on or after it.",
				u.Name, u.EffectiveFrom.Format(time.DateOnly), ref.Format(time.DateOnly), round.Name)})
	}
	_, succs, err := s.lineageViews(ctx, u.ID)
	if err != nil {
		return err
	}
	names := make([]string, len(succs))
	for i, sc := range succs {
		names[i] = sc.Name
	}
	last := "?"
	if u.EffectiveTo != nil {
		last = viDate(u.EffectiveTo.AddDate(0, 0, -1))
	}
	vi := fmt.Sprintf("%s hoạt động đến hết %s; %s xét theo các đơn vị có hiệu lực ngày %s.", u.Name, last, round.Name, viDate(ref))
	en := fmt.Sprintf("%s was in force until %s; %s is reviewed on the units in force on %s.", u.Name, last, round.Name, ref.Format(time.DateOnly))
	if len(names) > 0 {
		vi += " Đơn vị kế thừa: " + strings.Join(names, ", ") + ". Đề nghị quản trị viên chuyển tài khoản của bạn sang đơn vị kế thừa, rồi lập hồ sơ từ đơn vị đó."
		en += " Its successors: " + strings.Join(names, ", ") + ". Ask the administrator to move your account to the successor, and file from there."
	}
	return Invalid(FieldError{Pointer: "/round_id", Message: vi, MessageEN: en})
}
